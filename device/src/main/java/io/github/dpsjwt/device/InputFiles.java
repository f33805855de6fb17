package io.github.dpsjwt.device;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the files a user names on the command line, failing with a {@link UserError} that says which file and why. */
final class InputFiles {

    private InputFiles() {
    }

    /**
     * @param file the file as the user gave it
     * @param what what the file should hold, for the message ("the private key")
     */
    static String readText(Path file, String what) throws UserError {
        checkFile(file, what);
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new UserError(file + " is not a text file: " + what + " is expected as PEM text");
        } catch (IOException e) {
            throw cannotRead(file, what, e);
        }
    }

    /** Fails unless {@code file} is a readable regular file. */
    static void checkFile(Path file, String what) throws UserError {
        if (!Files.exists(file)) {
            throw new UserError("cannot read " + what + " " + file + ": no such file (check the path)");
        }
        if (Files.isDirectory(file)) {
            throw new UserError("cannot read " + what + " " + file + ": it is a folder; give the file itself");
        }
        if (!Files.isReadable(file)) {
            throw new UserError("cannot read " + what + " " + file + ": permission denied");
        }
    }

    static UserError cannotRead(Path file, String what, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new UserError("cannot read " + what + " " + file + ": " + why);
    }
}
