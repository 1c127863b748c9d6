package io.github.rosettadl.core.checkpoint;

import com.google.gson.JsonParseException;

/**
 * A value of {@code checkpoint.json} that was read but refused, with the path of the field it sits
 * in, so that the message can point at it.
 */
final class InvalidFieldException extends JsonParseException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Records a refused value.
     *
     * @param field the field's path, for example {@code training.epochs} or {@code model.arguments}
     * @param problem why the value is refused
     * @param cause the check that refused it
     */
    InvalidFieldException(String field, String problem, Throwable cause) {
        super(problem, cause);
        this.field = field;
    }

    /**
     * The field's path inside {@code checkpoint.json}.
     *
     * @return for example {@code data.normalization}
     */
    String field() {
        return field;
    }
}
