package cambench.harness.data;

import cambench.results.store.RunStore;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A class split in CloserLookFewShot's file format: {@code base.json}, {@code val.json} and
 * {@code novel.json} in one folder, each an object whose {@code image_names} lists image paths
 * (other fields, {@code label_names} and {@code image_labels}, are not needed). A split's classes are
 * the folders its images are in ({@code .../images/001.Black_footed_Albatross/x.jpg}), named as
 * {@link CubReader} names them (without the {@code NNN.} prefix); the images themselves come from the
 * data set, so the machine-specific paths in those files never matter.
 */
public final class CloserLookSplit {
    /** The split files, in base / val / novel order. */
    public static final List<String> FILES = List.of("base.json", "val.json", "novel.json");

    private CloserLookSplit() {
    }

    /**
     * Splits {@code all} into the base, val and novel classes that {@code dir}'s files list.
     *
     * @throws cambench.api.UserException naming the file for a missing or malformed file, a
     *     class that {@code all} does not have, a class listed in two files, or a file with no images
     */
    public static ImageSet[] split(ImageSet all, Path dir) {
        DataIo.requireDir(dir, "CloserLook's split files " + String.join(", ", FILES));
        Map<String, String> owner = new LinkedHashMap<>();
        ImageSet[] out = new ImageSet[FILES.size()];
        for (int s = 0; s < FILES.size(); s++) {
            Path file = DataIo.requireFile(dir.resolve(FILES.get(s)), "CloserLook's split file");
            Set<Integer> keep = new TreeSet<>();
            for (String name : classNames(file)) {
                String before = owner.putIfAbsent(name, FILES.get(s));
                if (before != null && !before.equals(FILES.get(s))) {
                    throw DataIo.error(file, "class '" + name + "' is also in " + before + "; splits must be disjoint");
                }
                int index = all.classes().indexOf(name);
                if (index < 0) {
                    throw DataIo.error(file, "class '" + name + "' is not a class of " + all.name());
                }
                keep.add(index);
            }
            out[s] = all.filterClasses(keep);
        }
        return out;
    }

    /** The class names (image folders, {@code NNN.} prefix dropped) of one split file, in first-seen order. */
    static Set<String> classNames(Path file) {
        JsonNode images;
        try {
            images = RunStore.json().readTree(file.toFile()).path("image_names");
        } catch (IOException e) {
            throw DataIo.error(file, "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!images.isArray() || images.isEmpty()) {
            throw DataIo.error(file, "expected a non-empty array 'image_names' of image paths");
        }
        Set<String> names = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        for (JsonNode n : images) {
            Path parent = n.isTextual() ? Path.of(n.asText()).getParent() : null;
            if (parent == null || parent.getFileName() == null) {
                bad.add(n.toString());
            } else {
                names.add(parent.getFileName().toString().replaceFirst("^\\d+\\.", ""));
            }
        }
        if (!bad.isEmpty()) {
            throw DataIo.error(file, "image_names entry " + bad.get(0) + " is not a path CLASS_FOLDER/IMAGE");
        }
        return names;
    }
}
