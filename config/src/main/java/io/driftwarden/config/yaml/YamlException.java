package io.driftwarden.config.yaml;

/** A YAML document that cannot be read, with the file and 1-based line where the problem is. */
public class YamlException extends RuntimeException {

    private final String file;
    private final int line;

    public YamlException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
