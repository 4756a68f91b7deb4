package io.driftwarden.jobs.render;

import java.nio.file.Path;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** A repository at one commit, as renderers read it. */
public interface ManifestSource {

    /** The manifest files ({@code *.yaml}, {@code *.yml}, {@code *.json}) under {@code path}, by repository path, sorted. */
    SortedMap<String, String> manifests(String path);

    /**
     * The same files with their Git blob ids, their text read only when asked (a source backed by Git reads no file
     * whose parsed documents the cache already holds). By default, the texts of {@link #manifests} hashed here.
     */
    default SortedMap<String, ManifestFile> manifestFiles(String path) {
        SortedMap<String, ManifestFile> files = new TreeMap<>();
        manifests(path).forEach((file, content) -> files.put(file, ManifestFile.of(content)));
        return files;
    }

    /** The names of the files directly in {@code path} (not in its subfolders). */
    Set<String> fileNames(String path);

    /**
     * Writes the files under {@code path} (all of the tree when empty) into {@code target} (an empty folder), so that
     * {@code target} is {@code path}; files read-only, submodules left out. A symbolic link is kept only when the real
     * filesystem takes it to a file inside {@code target}; any other link fails the export with a
     * {@link RenderException} naming it, before a renderer can follow it.
     */
    void exportTo(Path target, String path);
}
