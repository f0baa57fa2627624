package io.jfmi.worker.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jfmi.worker.data.Manifest;
import io.jfmi.worker.model.VitAstroConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonCodecTest {
    private static final String HASH = "ab".repeat(32);

    record Sample(String fileName, long totalSamples, double meanUs) {
    }

    @Test
    void recordsTravelInSnakeCaseAndStringsRoundTrip() {
        Sample s = new Sample("a\"b\\c\n<d>", 7, 2.5);
        String text = JsonCodec.write(s);
        assertTrue(text.contains("\"file_name\"") && text.contains("\"total_samples\": 7"), text);
        assertTrue(text.contains("<d>"), "no HTML escaping: " + text);
        assertEquals(s, JsonCodec.bind(JsonCodec.parseObject(text, "t"), Sample.class, "t", "file_name"));
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Float.POSITIVE_INFINITY);
        m.put("x", 1.5);
        JsonObject back = JsonCodec.parseObject(JsonCodec.write(m), "t");
        assertTrue(back.get("nan").isJsonNull() && back.get("inf").isJsonNull(), back.toString());
        assertEquals(1.5, back.get("x").getAsDouble());
    }

    @Test
    void aMissingKeyIsNamedWithItsSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonCodec.bind(
                JsonCodec.parseObject("{\"file_name\": \"f\"}", "x.json"), Sample.class, "x.json", "file_name",
                "total_samples"));
        assertEquals("x.json: missing \"total_samples\"", e.getMessage());
    }

    @Test
    void malformedTextIsNamedWithItsSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonCodec.parseObject("{\"a\": ", "y.json"));
        assertTrue(e.getMessage().startsWith("y.json: not valid JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JsonCodec.parseObject("[1]", "z.json"));
        assertEquals("z.json: expected a JSON object, found an array", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JsonCodec.bind(
                JsonCodec.parseObject("{\"file_name\": \"f\", \"total_samples\": \"many\"}", "w.json"), Sample.class,
                "w.json"));
        assertTrue(e.getMessage().startsWith("w.json: ") && e.getMessage().contains("many"), e.getMessage());
    }

    @Test
    void aManifestReformattedByAnotherToolIsStillRead(@TempDir Path dir) throws IOException {
        Manifest written = new Manifest(30, List.of(new Manifest.Shard("s0.npz", 0, 10, 100, HASH),
                new Manifest.Shard("s1.npz", 10, 20, 200, HASH)));
        written.write(dir);
        assertEquals(written, Manifest.read(dir));
        // what `jq -c` with keys reordered would leave: one line, other key order, other spacing
        Files.writeString(dir.resolve(Manifest.FILE), "{\"shards\":[{\"sha256\":\"" + HASH + "\",\"bytes\":100,"
                + "\"samples\":10,\"first\":0,\"file\":\"s0.npz\"},{\"file\":\"s1.npz\",\"first\":10,\"samples\":20,"
                + "\"bytes\":200,\"sha256\":\"" + HASH + "\"}],   \"total_samples\" :30}");
        assertEquals(written, Manifest.read(dir));
    }

    @Test
    void aManifestWithoutItsTotalOrWithAGapIsRefusedByName(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(Manifest.FILE), "{\"shards\": []}");
        IOException e = assertThrows(IOException.class, () -> Manifest.read(dir));
        assertTrue(e.getMessage().endsWith("missing \"total_samples\""), e.getMessage());
        Files.writeString(dir.resolve(Manifest.FILE), "{\"total_samples\": 5, \"shards\": [{\"file\": \"a\", "
                + "\"first\": 1, \"samples\": 4, \"bytes\": 1, \"sha256\": \"" + HASH + "\"}]}");
        e = assertThrows(IOException.class, () -> Manifest.read(dir));
        assertTrue(e.getMessage().contains("starts at sample 1, expected 0"), e.getMessage());
    }

    @Test
    void aModelDescriptionRoundTripsAndNamesWhatIsWrong() {
        VitAstroConfig small = VitAstroConfig.small().withScaling(0.5f, new float[] {1, 2, 3, 4, 5},
                new float[] {2, 2, 2, 2, 2});
        VitAstroConfig back = VitAstroConfig.fromJson(small.toJson(), "model.json");
        assertEquals(small.toJson(), back.toJson());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VitAstroConfig.fromJson("{\"architecture\": \"resnet\"}", "m.json"));
        assertEquals("m.json: not a vit_astro model description", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VitAstroConfig.fromJson(
                small.toJson().replace("\"heads\"", "\"headz\""), "m.json"));
        assertEquals("m.json: missing \"heads\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VitAstroConfig.fromJson(
                small.toJson().replaceFirst("\"heads\": \\d+", "\"heads\": 5"), "m.json"));
        assertTrue(e.getMessage().startsWith("m.json: ") && e.getMessage().contains("not a multiple of heads"),
                e.getMessage());
    }
}
