package io.ferry.cli;

import io.ferry.core.ConfigException;
import io.ferry.core.state.StateCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the state given with {@code --resume-state}: a file, or stdin for {@code -}. */
final class ResumeStateInput {
    private ResumeStateInput() {
    }

    /** The state's JSON text, checked to be a state this ferry can read. */
    static String read(String source) {
        String json;
        try {
            json = source.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(source));
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such file" : e.toString();
            throw new ConfigException("--resume-state " + source + ": cannot read the state (" + reason
                    + "); pass the file the interrupted run wrote");
        }
        if (json.isBlank()) {
            throw new ConfigException("--resume-state " + source + ": the state is empty; pass the file the interrupted"
                    + " run wrote (its stdout dump or StateFilename)");
        }
        StateCodec.fromJson(json);
        return json;
    }
}
