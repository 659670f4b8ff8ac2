package dev.otpgate.packaging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/** The entries of a Lambda package, and of every jar inside it as {@code lib/x.jar!a/B.class}. */
public final class PackageEntries {

    private PackageEntries() {
    }

    public static List<String> of(Path zip) throws IOException {
        List<String> entries = new ArrayList<>();
        try (ZipFile outer = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(outer.entries())) {
                entries.add(e.getName());
                if (e.getName().endsWith(".jar")) {
                    try (ZipInputStream jar = new ZipInputStream(outer.getInputStream(e))) {
                        for (ZipEntry inner; (inner = jar.getNextEntry()) != null;) {
                            entries.add(e.getName() + "!" + inner.getName());
                        }
                    }
                }
            }
        }
        return entries;
    }
}
