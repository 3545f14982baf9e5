package cambench.harness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pre-activation Wide ResNets WRN-d-k for 32x32 inputs.
 *
 * <p>Structure: conv3x3 16, then three groups of {@code n = (d - 4) / 6} {@link WideBasicBlock}s of
 * widths 16k, 32k, 64k (strides 1, 2, 2), then the final BN + ReLU; the feature map (64k
 * channels, 8x8 on 32x32 inputs) is taken after it. Dropout ({@link ModelSpec#dropout()}) sits
 * between the two convs of every block. Stage outputs are the raw group outputs (before the final
 * BN + ReLU). Registered as {@code wrn_D_K}, e.g. {@code wrn_28_10}; {@link #parse} reads any such
 * name. Reference: Zagoruyko and Komodakis, "Wide Residual Networks", BMVC 2016, Table 1.
 */
public final class WideResNet {
    /** The registered depth/width pairs. */
    static final int[][] REGISTERED = {{16, 1}, {16, 2}, {16, 4}, {28, 2}, {28, 4}, {28, 10}, {40, 1}, {40, 2}};
    private static final Pattern NAME = Pattern.compile("wrn_(\\d{1,4})_(\\d{1,3})");

    private WideResNet() {
    }

    /**
     * Builds WRN-{@code depth}-{@code widen}.
     *
     * @throws IllegalArgumentException when {@code depth - 4} is not a positive multiple of 6 or
     *     {@code widen < 1}
     */
    public static Backbone create(ParameterStore store, ModelSpec spec, int depth, int widen) {
        if (depth < 10 || (depth - 4) % 6 != 0 || widen < 1) {
            throw new IllegalArgumentException("WRN needs depth = 6n + 4 (n >= 1) and k >= 1, got "
                    + depth + "-" + widen);
        }
        int n = (depth - 4) / 6;
        int in = 16;
        Conv2d stem = new Conv2d(store, "conv1", spec.inputChannels(), in, 3, 1, 1);
        List<List<Block>> stages = new ArrayList<>();
        int[] widths = {16 * widen, 32 * widen, 64 * widen};
        for (int g = 0; g < widths.length; g++) {
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                int stride = (g > 0 && b == 0) ? 2 : 1;
                blocks.add(new WideBasicBlock(store, "block" + (g + 1) + ".layer." + b, in, widths[g], stride,
                        spec.dropout()));
                in = widths[g];
            }
            stages.add(blocks);
        }
        return new StagedBackbone(stem.asBlock(), stages, new BnRelu(store, "bn1", in), in);
    }

    /**
     * Reads a {@code wrn_D_K} name.
     *
     * @return the factory, or empty when {@code name} is not of that form or not a valid WRN
     */
    public static Optional<BackboneFactory> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        int depth = Integer.parseInt(m.group(1));
        int widen = Integer.parseInt(m.group(2));
        if (depth < 10 || (depth - 4) % 6 != 0 || widen < 1) {
            return Optional.empty();
        }
        return Optional.of((store, spec) -> create(store, spec, depth, widen));
    }

    /** Adds the {@link #REGISTERED} WRNs ({@code wrn_16_1} ... {@code wrn_40_2}) to a registry. */
    /** Whether {@code name} is a Wide ResNet name ({@code wrn_DEPTH_WIDTH}). */
    static boolean owns(String name) {
        return NAME.matcher(name).matches();
    }

    static void register(Map<String, BackboneFactory> registry) {
        for (int[] dk : REGISTERED) {
            String name = "wrn_" + dk[0] + "_" + dk[1];
            registry.put(name, parse(name).orElseThrow());
        }
    }
}
