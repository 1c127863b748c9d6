package io.github.rosettadl.core.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializationContext;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonSerializationContext;
import com.google.gson.JsonSerializer;

import io.github.rosettadl.core.models.ModelSpec;

import java.lang.reflect.Type;

/**
 * Writes a {@link ModelSpec} as {@code {"name": "simple-cnn", "arguments": {...}}} and reads it
 * back into the right record, whose constructor re-checks the arguments. A refused argument is an
 * {@link InvalidFieldException} naming {@code model.name}, {@code model.arguments} or the nested
 * field, such as {@code model.arguments.input}.
 */
final class ModelSpecJson implements JsonSerializer<ModelSpec>, JsonDeserializer<ModelSpec> {

    private static final String ARGUMENTS = "model.arguments";
    /** Gson without this adapter, for the arguments record itself. */
    private static final Gson PLAIN = new GsonBuilder()
            .registerTypeAdapterFactory(new RecordFieldErrors(ARGUMENTS))
            .create();

    @Override
    public JsonElement serialize(ModelSpec spec, Type type, JsonSerializationContext context) {
        JsonObject json = new JsonObject();
        json.addProperty("name", spec.modelName());
        json.add("arguments", PLAIN.toJsonTree(spec));
        return json;
    }

    @Override
    public ModelSpec deserialize(JsonElement json, Type type, JsonDeserializationContext context) {
        if (!json.isJsonObject() || !json.getAsJsonObject().has("name")
                || !json.getAsJsonObject().has("arguments")) {
            throw new JsonParseException("the model must be an object with a name and arguments, got " + json);
        }
        JsonObject object = json.getAsJsonObject();
        Class<? extends ModelSpec> specType;
        try {
            specType = ModelSpec.typeOf(object.get("name").getAsString());
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new InvalidFieldException("model.name", e.getMessage(), e);
        }
        ModelSpec spec;
        try {
            spec = PLAIN.fromJson(object.get("arguments"), specType);
        } catch (JsonParseException e) {
            throw e;
        } catch (RuntimeException e) {
            // the spec's constructor refused an argument; Gson reports it as the cause
            Throwable check = e.getCause() != null ? e.getCause() : e;
            String problem = check instanceof NullPointerException
                    ? "'" + check.getMessage() + "' is missing or not one of the values this version knows."
                    : check.getMessage();
            throw new InvalidFieldException(ARGUMENTS, problem, check);
        }
        if (spec == null) {
            throw new InvalidFieldException(ARGUMENTS, "the model has no arguments.", null);
        }
        return spec;
    }
}
