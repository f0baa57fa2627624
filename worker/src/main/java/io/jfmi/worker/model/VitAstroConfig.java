package io.jfmi.worker.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes of a ViT_Astro network and the fixed input scaling it was trained with. {@link #full()} is the
 * CosmicAI study's shape (about 15.8M parameters); {@link #small()} keeps every part but shrinks widths and depth
 * for tests and the demo.
 *
 * @param embedding   ViT token width (192 in the study)
 * @param depth       number of transformer encoder layers (12)
 * @param heads       attention heads (3)
 * @param mlpRatio    hidden width of each encoder MLP as a multiple of {@code embedding} (4)
 * @param branchWidth output width of the ViT and Inception branches (1096)
 * @param magWidth    width of the magnitude MLP (1024)
 * @param headWidth   hidden width of the regression head (1024)
 * @param stemWidth   channels after the Inception branch's 1x1 stem conv (32)
 * @param imageScale  images are multiplied by this before the network
 * @param magMean     per-band magnitude mean subtracted before the network
 * @param magStd      per-band magnitude spread divided out before the network
 */
public record VitAstroConfig(int embedding, int depth, int heads, int mlpRatio, int branchWidth, int magWidth,
        int headWidth, int stemWidth, float imageScale, float[] magMean, float[] magStd) {
    public static final int PATCH = 8;
    public static final int MAG_LAYERS = 4;

    public VitAstroConfig {
        if (embedding % heads != 0) {
            throw new IllegalArgumentException("embedding " + embedding + " is not a multiple of heads " + heads);
        }
        if (magMean.length != 5 || magStd.length != 5) {
            throw new IllegalArgumentException("magnitude scaling needs 5 means and 5 spreads");
        }
        if (stemWidth % 4 != 0) {
            throw new IllegalArgumentException("stem width must be a multiple of 4, got " + stemWidth);
        }
    }

    /** The study's ViT_Astro with identity input scaling. */
    public static VitAstroConfig full() {
        return new VitAstroConfig(192, 12, 3, 4, 1096, 1024, 1024, 32, 1f, new float[5], ones());
    }

    /** Same structure, small enough to train in a minute on two cores. */
    public static VitAstroConfig small() {
        return new VitAstroConfig(32, 2, 2, 2, 64, 64, 64, 16, 1f, new float[5], ones());
    }

    public static VitAstroConfig named(String variant) {
        return switch (variant.toLowerCase(Locale.ROOT)) {
            case "full" -> full();
            case "small" -> small();
            default -> throw new IllegalArgumentException("unknown model variant '" + variant + "' (full, small)");
        };
    }

    public VitAstroConfig withScaling(float imageScale, float[] magMean, float[] magStd) {
        return new VitAstroConfig(embedding, depth, heads, mlpRatio, branchWidth, magWidth, headWidth, stemWidth,
                imageScale, magMean.clone(), magStd.clone());
    }

    public String toJson() {
        return String.format(Locale.ROOT, "{\"architecture\":\"vit_astro\",\"embedding\":%d,\"depth\":%d,\"heads\":%d,"
                + "\"mlp_ratio\":%d,\"branch_width\":%d,\"mag_width\":%d,\"head_width\":%d,\"stem_width\":%d,"
                + "\"image_scale\":%s,\"mag_mean\":%s,\"mag_std\":%s}", embedding, depth, heads, mlpRatio,
                branchWidth, magWidth, headWidth, stemWidth, Float.toString(imageScale), array(magMean),
                array(magStd));
    }

    /** Parses what {@link #toJson()} wrote; {@code source} names the file in errors. */
    public static VitAstroConfig fromJson(String json, String source) {
        if (!json.contains("\"architecture\":\"vit_astro\"")) {
            throw new IllegalArgumentException(source + ": not a vit_astro model description");
        }
        return new VitAstroConfig(integer(json, "embedding", source), integer(json, "depth", source),
                integer(json, "heads", source), integer(json, "mlp_ratio", source),
                integer(json, "branch_width", source), integer(json, "mag_width", source),
                integer(json, "head_width", source), integer(json, "stem_width", source),
                Float.parseFloat(field(json, "image_scale", "[-0-9.eE]+", source)),
                floats(field(json, "mag_mean", "\\[[^]]*]", source)), floats(field(json, "mag_std", "\\[[^]]*]",
                        source)));
    }

    private static float[] ones() {
        float[] a = new float[5];
        Arrays.fill(a, 1f);
        return a;
    }

    private static String array(float[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Float.toString(a[i]));
        }
        return sb.append(']').toString();
    }

    private static int integer(String json, String key, String source) {
        return Integer.parseInt(field(json, key, "\\d+", source));
    }

    private static String field(String json, String key, String valuePattern, String source) {
        Matcher m = Pattern.compile("\"" + key + "\":(" + valuePattern + ")").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(source + ": missing or malformed \"" + key + "\"");
        }
        return m.group(1);
    }

    private static float[] floats(String list) {
        String body = list.substring(1, list.length() - 1).trim();
        if (body.isEmpty()) {
            return new float[0];
        }
        String[] parts = body.split(",");
        float[] a = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            a[i] = Float.parseFloat(parts[i].trim());
        }
        return a;
    }
}
