package io.jfmi.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads what Python's {@code torch.save} writes (the zip format of PyTorch 1.6 and later) without Python: the
 * archive's {@code data.pkl} is unpickled with tensors rebuilt as {@link TorchTensor} views over the archive's
 * storage entries ({@code <archive>/data/<key>}), read on demand. Classes other than tensors come back as maps
 * ({@code net.razorvine.pickle.objects.ClassDict}, whose class name says what they were).
 */
public final class TorchSave implements AutoCloseable {
    /** What a {@code .pt} file holds, told from its entries without unpickling. */
    public enum Kind {
        /** {@code torch.jit.save}: code and constants, loadable by DJL's PyTorch engine. */
        TORCHSCRIPT,
        /** {@code torch.save}: a pickle (a dataset, tensors, a state dict or a whole nn.Module). */
        PICKLE,
        /** Not a zip archive at all (the legacy pre-1.6 format, or not PyTorch). */
        OTHER
    }

    static {
        IObjectConstructor rebuild = args -> rebuildTensor(args);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", rebuild);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", rebuild);
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new java.util.LinkedHashMap<>());
        for (TorchStorage.DType t : TorchStorage.DType.values()) {
            Unpickler.registerConstructor("torch", t.storageClass, new StorageType(t));
        }
    }

    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final ByteOrder order;

    private TorchSave(Path file, ZipFile zip, String prefix, ByteOrder order) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        this.order = order;
    }

    /** Tells a TorchScript archive from a pickle archive; IOException only when the file cannot be read. */
    public static Kind kind(Path file) throws IOException {
        try (ZipFile z = new ZipFile(file.toFile())) {
            boolean pickle = false;
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (name.endsWith("/constants.pkl") || name.contains("/code/")) {
                    return Kind.TORCHSCRIPT;
                }
                pickle |= name.endsWith("/data.pkl");
            }
            return pickle ? Kind.PICKLE : Kind.OTHER;
        } catch (ZipException e) {
            return Kind.OTHER;
        }
    }

    /** Opens the archive; names the file when it is not a {@code torch.save} zip. */
    public static TorchSave open(Path file) throws IOException {
        ZipFile z;
        try {
            z = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(file + ": not a torch.save archive (not a zip: the legacy format of PyTorch < 1.6 "
                    + "is not read; save again with a current PyTorch)", e);
        }
        String prefix = null;
        for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
            String name = e.nextElement().getName();
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.indexOf('/') == name.length() - 9)) {
                prefix = name.substring(0, name.length() - "data.pkl".length());
                break;
            }
        }
        if (prefix == null) {
            z.close();
            throw new IOException(file + ": a zip without data.pkl, so not a torch.save archive");
        }
        ZipEntry byteOrder = z.getEntry(prefix + "byteorder");
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (byteOrder != null) {
            try (InputStream in = z.getInputStream(byteOrder)) {
                order = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim()
                        .equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            }
        }
        return new TorchSave(file, z, prefix, order);
    }

    public Path file() {
        return file;
    }

    /** The unpickled root object. */
    public Object root() throws IOException {
        ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
        Unpickler u = new StorageUnpickler();
        try (InputStream in = zip.getInputStream(pkl)) {
            return u.load(in);
        } catch (PickleException | ClassCastException | IllegalArgumentException e) {
            throw new IOException(file + ": cannot unpickle data.pkl (" + e.getMessage() + ")", e);
        } finally {
            u.close();
        }
    }

    /** The bytes of one storage, in the archive's byte order; names the entry when it is missing or short. */
    ByteBuffer storageBytes(TorchStorage s) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
        if (e == null) {
            throw new IOException(file + ": storage entry " + prefix + "data/" + s.key() + " is missing");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        }
        if (bytes.length < s.numel() * s.dtype().bytes) {
            throw new IOException(file + ": storage " + s.key() + " holds " + bytes.length + " bytes, "
                    + s.numel() * s.dtype().bytes + " expected (truncated file?)");
        }
        return ByteBuffer.wrap(bytes).order(order);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** The marker a storage class (torch.FloatStorage, ...) unpickles to: it names the element type. */
    private record StorageType(TorchStorage.DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + dtype.storageClass + " is a type, not something to construct");
        }
    }

    /** Resolves the persistent ids of storages: ('storage', type, key, location, numel). */
    private static final class StorageUnpickler extends Unpickler {
        private final Map<String, TorchStorage> storages = new HashMap<>();

        @Override
        protected Object persistentLoad(Object pid) {
            if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
                throw new PickleException("unknown persistent id " + describe(pid));
            }
            if (!(t[1] instanceof StorageType type)) {
                throw new PickleException("unsupported storage type " + t[1] + " (float32, float64, float16, int64, "
                        + "int32 are read)");
            }
            String key = String.valueOf(t[2]);
            return storages.computeIfAbsent(key, k -> new TorchStorage(type.dtype(), k, ((Number) t[4]).longValue()));
        }

        private static String describe(Object pid) {
            return pid instanceof Object[] a ? java.util.Arrays.toString(a) : String.valueOf(pid);
        }
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof TorchStorage s)) {
            throw new PickleException("unexpected tensor layout in pickle (" + args.length + " arguments)");
        }
        return new TorchTensor(s, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object tuple) {
        Object[] a = (Object[]) tuple;
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = ((Number) a[i]).longValue();
        }
        return out;
    }
}
