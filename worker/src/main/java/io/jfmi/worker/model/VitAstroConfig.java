package io.jfmi.worker.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jfmi.worker.json.JsonCodec;
import java.util.Arrays;
import java.util.Locale;

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
    private static final String ARCHITECTURE = "vit_astro";

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

    /** The model description file: these fields in snake_case, tagged with the architecture. */
    public String toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("architecture", ARCHITECTURE);
        JsonCodec.GSON.toJsonTree(this).getAsJsonObject().entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        return JsonCodec.write(json);
    }

    /** Parses what {@link #toJson()} wrote; {@code source} names the file in errors. */
    public static VitAstroConfig fromJson(String json, String source) {
        JsonObject object = JsonCodec.parseObject(json, source);
        JsonElement architecture = object.get("architecture");
        if (architecture == null || !architecture.isJsonPrimitive()
                || !ARCHITECTURE.equals(architecture.getAsString())) {
            throw new IllegalArgumentException(source + ": not a " + ARCHITECTURE + " model description");
        }
        return JsonCodec.bind(object, VitAstroConfig.class, source, "embedding", "depth", "heads", "mlp_ratio",
                "branch_width", "mag_width", "head_width", "stem_width", "image_scale", "mag_mean", "mag_std");
    }

    private static float[] ones() {
        float[] a = new float[5];
        Arrays.fill(a, 1f);
        return a;
    }
}
