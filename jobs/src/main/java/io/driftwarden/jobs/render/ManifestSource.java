package io.driftwarden.jobs.render;

import java.nio.file.Path;
import java.util.Set;
import java.util.SortedMap;

/** A repository at one commit, as renderers read it. */
public interface ManifestSource {

    /** The manifest files ({@code *.yaml}, {@code *.yml}, {@code *.json}) under {@code path}, by repository path, sorted. */
    SortedMap<String, String> manifests(String path);

    /** The names of the files directly in {@code path} (not in its subfolders). */
    Set<String> fileNames(String path);

    /**
     * Writes the whole tree under {@code target} (an empty folder), files read-only; a symbolic link that stays
     * inside the tree is kept, one that leaves it is refused; submodules are left out.
     */
    void exportTo(Path target);
}
