package cambench.harness.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Reading a PyTorch checkpoint written by {@code torch.save} (fixture made by
 * tools/gen_torch_fixture.py with PyTorch 1.13): every floating-point tensor of the wrapped
 * state_dict, prefix removed, values through strides and storage offsets, float64/float16/bfloat16
 * as float32; integer tensors skipped; bad files are one-line errors naming the file. Engine-free.
 */
class TorchStateDictTest {
    private static Path fixture(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = TorchStateDictTest.class.getResourceAsStream("/fixtures/torch/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void read_checkpointFromPyTorch_matchesWhatPyTorchHeld(@TempDir Path dir) throws IOException {
        Path pt = fixture(dir, "checkpoint.pt");
        JsonNode expected = new ObjectMapper().readTree(fixture(dir, "checkpoint.expected.json").toFile());
        assertTrue(TorchStateDict.isZip(pt));
        Checkpoint.Contents c = TorchStateDict.read(pt);
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertEquals(names, List.copyOf(c.values().keySet()), "float tensors in order, 'module.' removed,"
                + " num_batches_tracked skipped");
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            long[] shape = new long[e.getValue().get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getValue().get("shape").get(i).asLong();
            }
            float[] want = new float[e.getValue().get("values").size()];
            for (int i = 0; i < want.length; i++) {
                want[i] = (float) e.getValue().get("values").get(i).asDouble();
            }
            assertArrayEquals(shape, c.shapes().get(e.getKey()), e.getKey());
            assertArrayEquals(want, c.values().get(e.getKey()), 0f, e.getKey());
        }
        assertEquals(0, c.shapes().get("scale").length, "a 0-d tensor keeps rank 0");
        assertTrue(c.text().contains(TorchStateDict.MODEL));
    }

    @Test
    void read_badFiles_areOneLineErrorsNamingTheFile(@TempDir Path dir) throws IOException {
        Path legacy = dir.resolve("legacy.pt");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertFalse(TorchStateDict.isZip(legacy), "a pre-1.6 pickle file is not a zip; it goes to the cambench reader");

        Path noPickle = zip(dir.resolve("nopickle.pt"), "archive/version", "3\n".getBytes());
        UserException e = assertThrows(UserException.class, () -> TorchStateDict.read(noPickle));
        assertEquals(noPickle + ": a zip file without data.pkl, not a torch.save file", e.getMessage());

        // a pickled list, not a dictionary: PROTO 2, EMPTY_LIST, STOP
        Path list = zip(dir.resolve("list.pt"), "archive/data.pkl", new byte[] {(byte) 0x80, 2, ']', '.'});
        e = assertThrows(UserException.class, () -> TorchStateDict.read(list));
        assertEquals(list + ": holds a ArrayList, not a state_dict (a dictionary of tensors)", e.getMessage());

        // an opcode outside the subset (EXT1)
        Path ext = zip(dir.resolve("ext.pt"), "archive/data.pkl", new byte[] {(byte) 0x80, 2, (byte) 0x82, 1, '.'});
        e = assertThrows(UserException.class, () -> TorchStateDict.read(ext));
        assertTrue(e.getMessage().startsWith(ext + ": data.pkl uses pickle opcode 0x82 (at byte 2)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static Path zip(Path file, String entry, byte[] content) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(content);
            z.closeEntry();
        }
        return file;
    }
}
