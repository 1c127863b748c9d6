package io.github.rosettadl.core.checkpoint;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import io.github.rosettadl.core.models.ModelSpec;

import java.io.IOException;

/**
 * Turns a record constructor's refusal into an {@link InvalidFieldException} that names where in
 * the JSON the record sits. Gson builds records through their canonical constructors, which check
 * their arguments, but reports a refusal as "Failed to invoke constructor ..." without saying which
 * part of the file held the value. Writing is left to the usual adapter, unchanged.
 */
final class RecordFieldErrors implements TypeAdapterFactory {

    private final String root;

    /**
     * A factory whose paths start with a prefix.
     *
     * @param root the path of the JSON this Gson reads, {@code ""} for the whole file, for example
     *     {@code model.arguments} for a model's arguments
     */
    RecordFieldErrors(String root) {
        this.root = root;
    }

    @Override
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        Class<? super T> raw = type.getRawType();
        // model specs are written by their own adapter (name and arguments), which must stay in charge
        if (!raw.isRecord() || ModelSpec.class.isAssignableFrom(raw)) {
            return null;
        }
        TypeAdapter<T> delegate = gson.getDelegateAdapter(this, type);
        return new TypeAdapter<>() {
            @Override
            public void write(JsonWriter out, T value) throws IOException {
                delegate.write(out, value);
            }

            @Override
            public T read(JsonReader in) throws IOException {
                String path = path(in.getPath());
                try {
                    return delegate.read(in);
                } catch (JsonParseException e) {
                    throw e;
                } catch (RuntimeException e) {
                    Throwable check = e.getCause();
                    if (check instanceof IllegalArgumentException) {
                        throw new InvalidFieldException(path, check.getMessage(), check);
                    }
                    if (check instanceof NullPointerException) {
                        throw new InvalidFieldException(path, "'" + check.getMessage()
                                + "' is missing or not one of the values this version knows.", check);
                    }
                    throw e;
                }
            }
        };
    }

    /** {@code $.data.normalization} becomes {@code data.normalization}, under the root. */
    private String path(String jsonPath) {
        String relative = jsonPath.startsWith("$.") ? jsonPath.substring(2) : jsonPath.substring(1);
        return root.isEmpty() ? relative : relative.isEmpty() ? root : root + "." + relative;
    }
}
