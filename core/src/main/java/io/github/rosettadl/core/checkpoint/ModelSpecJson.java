package io.github.rosettadl.core.checkpoint;

import com.google.gson.Gson;
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
 * back into the right record, whose constructor re-checks the arguments.
 */
final class ModelSpecJson implements JsonSerializer<ModelSpec>, JsonDeserializer<ModelSpec> {

    /** Gson without this adapter, for the arguments record itself. */
    private static final Gson PLAIN = new Gson();

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
        try {
            Class<? extends ModelSpec> specType = ModelSpec.typeOf(object.get("name").getAsString());
            ModelSpec spec = PLAIN.fromJson(object.get("arguments"), specType);
            if (spec == null) {
                throw new JsonParseException("the model has no arguments");
            }
            return spec;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JsonParseException(e.getMessage(), e);
        }
    }
}
