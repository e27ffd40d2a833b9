package io.github.moderncnns.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.moderncnns.data.Augmentation;

/**
 * The one JSON mapper of run.json and recipe files: indented, enum names in any case, and an augmentation written as
 * its short spec ({@code "crop:2,flip"}), so that a recipe file reads as the CLI option does.
 */
final class RunFilesJson {
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).addMixIn(Augmentation.class, AugmentationSpec.class)
            .build();

    private RunFilesJson() {
    }

    /** Jackson mix-in: {@link Augmentation} as its spec. */
    abstract static class AugmentationSpec {
        @JsonValue
        @Override
        public abstract String toString();

        @JsonCreator
        static Augmentation parse(String spec) {
            return Augmentation.parse(spec);
        }
    }
}
