package io.github.moderncnns.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Training-time image augmentation, as torchvision's {@code RandomCrop(side, padding)},
 * {@code RandomHorizontalFlip()} and {@code RandomErasing(p)} (scale 0.02-0.33, ratio 0.3-3.3, value 0) do it, in
 * that order, on the image at its final size. The notebook uses none; recipes beyond it do. The
 * {@link FashionMnistIterator} draws every image's randomness from (seed, epoch, image), so a run is reproducible and
 * a resumed epoch sees the same augmented images.
 *
 * <p>Written and read as a short spec, {@code crop:4,flip,erase:0.5} or {@code none} ({@link #parse},
 * {@link #toString}).
 *
 * @param cropPadding zero padding on every side before cropping back to the image size, in pixels; 0 for no crop
 * @param flip whether to mirror half of the images left to right
 * @param eraseProbability the probability of erasing one random rectangle of an image; 0 for never
 */
public record Augmentation(int cropPadding, boolean flip, double eraseProbability) {
    private static final Augmentation NONE = new Augmentation(0, false, 0);

    /** Validates the values. */
    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("crop padding must be at least 0 pixels, found " + cropPadding);
        }
        if (!(eraseProbability >= 0 && eraseProbability <= 1)) {
            throw new IllegalArgumentException("erase probability must be between 0 and 1, found " + eraseProbability);
        }
    }

    /** No augmentation: the notebook's training data. */
    public static Augmentation none() {
        return NONE;
    }

    /** Whether this changes no image. */
    public boolean isNone() {
        return cropPadding == 0 && !flip && eraseProbability == 0;
    }

    /**
     * Reads a spec: {@code none}, or a comma-separated list of {@code crop:PAD}, {@code flip}, {@code erase:P}.
     *
     * @param spec the spec
     * @return the augmentation
     * @throws IllegalArgumentException naming the part that is wrong and what is allowed
     */
    public static Augmentation parse(String spec) {
        String trimmed = spec.trim();
        if (trimmed.equals("none")) {
            return NONE;
        }
        int padding = 0;
        boolean flip = false;
        double erase = 0;
        for (String part : trimmed.split(",", -1)) {
            String item = part.trim();
            int colon = item.indexOf(':');
            String name = colon < 0 ? item : item.substring(0, colon);
            String value = colon < 0 ? null : item.substring(colon + 1);
            try {
                switch (name) {
                    case "crop" -> padding = Integer.parseInt(required(value, "crop:PAD, e.g. crop:4"));
                    case "flip" -> {
                        if (value != null) {
                            throw new IllegalArgumentException("flip takes no value");
                        }
                        flip = true;
                    }
                    case "erase" -> erase = Double.parseDouble(required(value, "erase:P, e.g. erase:0.5"));
                    default -> throw new IllegalArgumentException("unknown augmentation '" + item + "'");
                }
                new Augmentation(padding, flip, erase); // validates this part's value now, to name it
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid augmentation '" + spec + "': " + e.getMessage()
                        + "; write none or a list of crop:PAD, flip, erase:P such as crop:4,flip,erase:0.5", e);
            }
        }
        return new Augmentation(padding, flip, erase);
    }

    private static String required(String value, String form) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a value is missing, write " + form);
        }
        return value;
    }

    /** The spec that {@link #parse} reads back to this augmentation, e.g. {@code crop:4,flip}. */
    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (cropPadding > 0) {
            parts.add("crop:" + cropPadding);
        }
        if (flip) {
            parts.add("flip");
        }
        if (eraseProbability > 0) {
            parts.add(String.format(Locale.ROOT, "erase:%s", eraseProbability));
        }
        return String.join(",", parts);
    }
}
