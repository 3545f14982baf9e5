package cambench.harness.train;

import cambench.api.UserException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch {@code state_dict} saved with {@code torch.save} (the zip format of PyTorch 1.6
 * and later) in Java, as the float32 arrays of a {@link Checkpoint.Contents}, so that a backbone
 * trained in PyTorch loads without a conversion step (docs/transfer.md).
 *
 * <p>The file is a zip archive: {@code PREFIX/data.pkl} is a pickle of the dictionary whose tensors
 * refer by key to raw storages {@code PREFIX/data/KEY} (little-endian unless
 * {@code PREFIX/byteorder} says {@code big}). Only what {@code torch.save} writes for dictionaries of
 * tensors and plain values is understood: the pickle opcodes of protocols 2 to 4, dictionaries,
 * lists, tuples, numbers, strings, {@code OrderedDict}, and tensors rebuilt by
 * {@code torch._utils._rebuild_tensor_v2} (any strides and storage offset) or
 * {@code _rebuild_parameter}. Other objects are kept opaque and ignored. Floating-point tensors
 * (float32, float64, float16, bfloat16) become float32 arrays; integer tensors
 * ({@code num_batches_tracked}) are skipped. A checkpoint dictionary holding a {@code state_dict}
 * entry is unwrapped, and a leading {@code module.} (DataParallel) is removed from every name.
 */
public final class TorchStateDict {
    /** The model name a state_dict's contents report (the file does not say which model it is). */
    public static final String MODEL = "unknown (PyTorch state_dict)";

    private TorchStateDict() {
    }

    /** Whether {@code file} starts like a zip archive (as a {@code torch.save} file does). */
    public static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return Arrays.equals(head, new byte[] {'P', 'K', 3, 4});
        }
    }

    /**
     * Reads the floating-point tensors of the state_dict in {@code file}.
     *
     * @throws UserException in one line naming the file when it is not a {@code torch.save} zip
     *     file, holds no dictionary or uses something this reader does not understand
     */
    public static Checkpoint.Contents read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("data.pkl")).findFirst().orElseThrow(
                    () -> new UserException(file + ": a zip file without data.pkl, not a torch.save file"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null) {
                try (InputStream in = zip.getInputStream(bo)) {
                    order = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().equals("big")
                            ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                }
            }
            byte[] pickle;
            try (InputStream in = zip.getInputStream(pkl)) {
                pickle = in.readAllBytes();
            }
            Object root = new Unpickler(file, pickle).load();
            Map<?, ?> dict = stateDict(file, root);
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> values = new LinkedHashMap<>();
            Map<String, ByteBuffer> storages = new HashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof Tensor t) || !t.dtype().floating) {
                    continue;
                }
                String key = t.storage().key();
                ByteBuffer data = storages.get(key);
                if (data == null) {
                    ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                    if (entry == null) {
                        throw new UserException(file + ": tensor " + name + " refers to storage " + key
                                + ", which the archive lacks");
                    }
                    try (InputStream in = zip.getInputStream(entry)) {
                        data = ByteBuffer.wrap(in.readAllBytes()).order(order);
                    }
                    storages.put(key, data);
                }
                String plain = name.startsWith("module.") ? name.substring("module.".length()) : name;
                shapes.put(plain, t.size().clone());
                values.put(plain, t.floats(file, name, data));
            }
            if (values.isEmpty()) {
                throw new UserException(file + ": the state_dict holds no floating-point tensors");
            }
            return new Checkpoint.Contents("{\"model\": \"" + MODEL + "\"}", shapes, values);
        } catch (java.util.zip.ZipException e) {
            throw new UserException(file + ": not a readable zip archive (" + e.getMessage() + ")", e);
        }
    }

    private static Map<?, ?> stateDict(Path file, Object root) {
        if (root instanceof Map<?, ?> m) {
            Object inner = m.get("state_dict");
            return inner instanceof Map<?, ?> sd ? sd : m;
        }
        throw new UserException(file + ": holds a " + describe(root) + ", not a state_dict (a dictionary of tensors)");
    }

    private static String describe(Object o) {
        return o instanceof Opaque op ? op.global().toString() : o == null ? "None" : o.getClass().getSimpleName();
    }

    /** Element types of PyTorch storages. */
    enum DType {
        F32(4, true), F64(8, true), F16(2, true), BF16(2, true), OTHER(1, false);

        final int bytes;
        final boolean floating;

        DType(int bytes, boolean floating) {
            this.bytes = bytes;
            this.floating = floating;
        }

        static DType of(String storageClass) {
            return switch (storageClass) {
                case "FloatStorage" -> F32;
                case "DoubleStorage" -> F64;
                case "HalfStorage" -> F16;
                case "BFloat16Storage" -> BF16;
                default -> OTHER;
            };
        }

        float read(ByteBuffer b, long index) {
            int at = Math.toIntExact(index * bytes);
            return switch (this) {
                case F32 -> b.getFloat(at);
                case F64 -> (float) b.getDouble(at);
                case F16 -> halfToFloat(b.getShort(at));
                case BF16 -> Float.intBitsToFloat((b.getShort(at) & 0xFFFF) << 16);
                case OTHER -> throw new IllegalStateException("not a floating-point storage");
            };
        }
    }

    /** IEEE 754 binary16 to float (exact: every half value is a float). */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));   // inf, NaN
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;                                       // zero, subnormal
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** A storage a tensor refers to: its key in the archive and element type. */
    record Storage(String key, DType dtype) {
    }

    /** A global (module and name) named by the pickle. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** An object of a class this reader does not rebuild (its arguments are dropped). */
    record Opaque(Global global) {
    }

    /** A tensor view of a storage. */
    record Tensor(Storage storage, long offset, long[] size, long[] stride) {
        DType dtype() {
            return storage.dtype();
        }

        /** The values in row-major order, read through the strides. */
        float[] floats(Path file, String name, ByteBuffer data) {
            long count = 1;
            long last = offset;
            for (int d = 0; d < size.length; d++) {
                count *= size[d];
                last += (size[d] - 1) * stride[d];
            }
            if (count > 0 && (offset < 0 || (last + 1) * dtype().bytes > data.capacity())) {
                throw new UserException(file + ": tensor " + name + " reaches past the end of its storage");
            }
            float[] out = new float[Math.toIntExact(count)];
            long[] idx = new long[size.length];
            for (int i = 0; i < out.length; i++) {
                long at = offset;
                for (int d = 0; d < size.length; d++) {
                    at += idx[d] * stride[d];
                }
                out[i] = dtype().read(data, at);
                for (int d = size.length - 1; d >= 0; d--) {
                    if (++idx[d] < size[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            return out;
        }
    }

    /** The subset of Python's pickle machine that {@code torch.save} output needs. */
    private static final class Unpickler {
        private static final Object NONE = new Object() {
            @Override
            public String toString() {
                return "None";
            }
        };
        private final Path file;
        private final ByteBuffer in;
        private final List<Object> stack = new ArrayList<>();
        private final List<Integer> marks = new ArrayList<>();
        private final Map<Long, Object> memo = new HashMap<>();

        Unpickler(Path file, byte[] pickle) {
            this.file = file;
            this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        }

        Object load() {
            try {
                return run();
            } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | ClassCastException e) {
                throw new UserException(file + ": damaged or unsupported data.pkl (" + e + " near byte "
                        + in.position() + ")", e);
            }
        }

        private Object run() {
            while (true) {
                int op = in.get() & 0xFF;
                switch (op) {
                    case 0x80 -> in.get();                                   // PROTO
                    case 0x95 -> in.getLong();                               // FRAME
                    case '}' -> push(new LinkedHashMap<Object, Object>());   // EMPTY_DICT
                    case ']' -> push(new ArrayList<Object>());               // EMPTY_LIST
                    case ')' -> push(List.of());                             // EMPTY_TUPLE
                    case '(' -> marks.add(stack.size());                     // MARK
                    case 't' -> push(List.copyOf(popToMark()));              // TUPLE
                    case 0x85 -> push(tuple(1));
                    case 0x86 -> push(tuple(2));
                    case 0x87 -> push(tuple(3));
                    case 'l' -> push(new ArrayList<>(popToMark()));          // LIST
                    case 'd' -> push(dict(popToMark(), new LinkedHashMap<>()));   // DICT
                    case 'X' -> push(text(in.getInt()));                     // BINUNICODE
                    case 0x8c -> push(text(in.get() & 0xFF));                // SHORT_BINUNICODE
                    case 0x8d -> push(text(Math.toIntExact(in.getLong())));  // BINUNICODE8
                    case 'U' -> push(latin1(in.get() & 0xFF));               // SHORT_BINSTRING
                    case 'T' -> push(latin1(in.getInt()));                   // BINSTRING
                    case 'C' -> push(bytes(in.get() & 0xFF));                // SHORT_BINBYTES
                    case 'B' -> push(bytes(in.getInt()));                    // BINBYTES
                    case 'c' -> push(new Global(line(), line()));            // GLOBAL
                    case 0x93 -> {                                           // STACK_GLOBAL
                        String name = (String) pop();
                        push(new Global((String) pop(), name));
                    }
                    case 'Q' -> push(persistent(pop()));                     // BINPERSID
                    case 'K' -> push((long) (in.get() & 0xFF));              // BININT1
                    case 'M' -> push((long) (in.getShort() & 0xFFFF));       // BININT2
                    case 'J' -> push((long) in.getInt());                    // BININT
                    case 0x8a -> push(long1(in.get() & 0xFF));               // LONG1
                    case 'I', 'L' -> push(integer(line()));                  // INT, LONG (text)
                    case 'G' -> push(in.order(ByteOrder.BIG_ENDIAN).getDouble());   // BINFLOAT
                    case 'F' -> push(Double.parseDouble(line()));            // FLOAT (text)
                    case 0x88 -> push(Boolean.TRUE);
                    case 0x89 -> push(Boolean.FALSE);
                    case 'N' -> push(NONE);
                    case 'R', 0x81 -> {                                      // REDUCE, NEWOBJ
                        List<?> args = (List<?>) pop();
                        push(call(pop(), args));
                    }
                    case 'b' -> pop();                                       // BUILD: object state ignored
                    case 's' -> {                                            // SETITEM
                        Object v = pop();
                        Object k = pop();
                        map(peek()).put(k, v);
                    }
                    case 'u' -> dict(popToMark(), map(peek()));              // SETITEMS
                    case 'a' -> {                                            // APPEND
                        Object v = pop();
                        list(peek()).add(v);
                    }
                    case 'e' -> {                                            // APPENDS
                        List<Object> items = popToMark();
                        list(peek()).addAll(items);
                    }
                    case 'q' -> memo.put((long) (in.get() & 0xFF), peek());  // BINPUT
                    case 'r' -> memo.put((long) in.getInt(), peek());        // LONG_BINPUT
                    case 'p' -> memo.put(Long.parseLong(line()), peek());    // PUT
                    case 0x94 -> memo.put((long) memo.size(), peek());       // MEMOIZE
                    case 'h' -> push(memo.get((long) (in.get() & 0xFF)));    // BINGET
                    case 'j' -> push(memo.get((long) in.getInt()));          // LONG_BINGET
                    case 'g' -> push(memo.get(Long.parseLong(line())));      // GET
                    case '0' -> pop();                                       // POP
                    case '1' -> popToMark();                                 // POP_MARK
                    case '2' -> push(peek());                                // DUP
                    case '.' -> {                                            // STOP
                        Object o = pop();
                        return o == NONE ? null : o;
                    }
                    default -> throw new UserException(file + ": data.pkl uses pickle opcode 0x"
                            + Integer.toHexString(op) + " (at byte " + (in.position() - 1)
                            + "), which this reader does not know; convert the file with tools/state_dict_to_cambench.py");
                }
                in.order(ByteOrder.LITTLE_ENDIAN);
            }
        }

        /** A storage reference: ('storage', storage class, key, location, numel). */
        private Object persistent(Object pid) {
            List<?> p = (List<?>) pid;
            if (p.size() < 3 || !"storage".equals(p.get(0)) || !(p.get(1) instanceof Global type)) {
                throw new UserException(file + ": data.pkl refers to an object " + p + " that is not a storage");
            }
            return new Storage(String.valueOf(p.get(2)), DType.of(type.name()));
        }

        private Object call(Object callable, List<?> args) {
            if (!(callable instanceof Global g)) {
                return new Opaque(new Global("?", String.valueOf(callable)));
            }
            switch (g.toString()) {
                case "collections.OrderedDict":
                    return new LinkedHashMap<Object, Object>();
                case "torch._utils._rebuild_tensor_v2":
                case "torch._utils._rebuild_tensor":
                    return new Tensor((Storage) args.get(0), (Long) args.get(1), longs(args.get(2)),
                            longs(args.get(3)));
                case "torch._utils._rebuild_parameter":
                case "torch._utils._rebuild_parameter_with_state":
                    return args.get(0);
                default:
                    return new Opaque(g);
            }
        }

        private static long[] longs(Object tuple) {
            List<?> l = (List<?>) tuple;
            long[] out = new long[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (Long) l.get(i);
            }
            return out;
        }

        private void push(Object o) {
            stack.add(o == null ? NONE : o);
        }

        private Object pop() {
            return stack.remove(stack.size() - 1);
        }

        private Object peek() {
            return stack.get(stack.size() - 1);
        }

        private List<Object> popToMark() {
            int mark = marks.remove(marks.size() - 1);
            List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
            stack.subList(mark, stack.size()).clear();
            return items;
        }

        private List<Object> tuple(int n) {
            List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
            stack.subList(stack.size() - n, stack.size()).clear();
            return List.copyOf(items);
        }

        private static Map<Object, Object> dict(List<Object> pairs, Map<Object, Object> into) {
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                into.put(pairs.get(i), pairs.get(i + 1));
            }
            return into;
        }

        @SuppressWarnings("unchecked")
        private static Map<Object, Object> map(Object o) {
            return (Map<Object, Object>) o;
        }

        @SuppressWarnings("unchecked")
        private static List<Object> list(Object o) {
            return (List<Object>) o;
        }

        private String text(int n) {
            return new String(bytes(n), StandardCharsets.UTF_8);
        }

        private String latin1(int n) {
            return new String(bytes(n), StandardCharsets.ISO_8859_1);
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            in.get(b);
            return b;
        }

        private String line() {
            StringBuilder b = new StringBuilder();
            for (byte c = in.get(); c != '\n'; c = in.get()) {
                b.append((char) (c & 0xFF));
            }
            return b.toString();
        }

        private static Object integer(String text) {
            String t = text.endsWith("L") ? text.substring(0, text.length() - 1) : text;
            return switch (t) {
                case "01" -> Boolean.TRUE;
                case "00" -> Boolean.FALSE;
                default -> Long.parseLong(t);
            };
        }

        private long long1(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (in.get() & 0xFFL) << (8 * i);
            }
            if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
                v -= 1L << (8 * n);   // two's complement of n bytes
            }
            return v;
        }
    }
}
