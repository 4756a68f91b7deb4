package io.driftwarden.config;

/** Name patterns as sync windows and notification targets write them: {@code *} any run of characters, {@code ?} one. */
public final class Globs {

    private Globs() {
    }

    /** Whether {@code name} matches {@code glob} as a whole; a null name matches nothing. */
    public static boolean matches(String glob, String name) {
        if (name == null) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return name.matches(regex.toString());
    }
}
