package io.jfmi.worker.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor from a {@code torch.save} archive: a view (offset, shape, strides in elements) over one storage entry.
 * Views may be non-contiguous (a slice or a transpose saved as is); values are gathered through the strides.
 */
public record TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride) {

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public String dtype() {
        return storage.dtype().pythonName;
    }

    /** The values in row-major order as float32 (float64 storages are narrowed, as PyTorch's .float() does). */
    public float[] toFloats(TorchSave archive) throws IOException {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException(archive.file() + ": tensor of " + n + " values is too large to read into one array");
        }
        float[] out = new float[(int) n];
        ByteBuffer bytes = archive.storageBytes(storage);
        TorchStorage.DType t = storage.dtype();
        checkBounds(archive, bytes.capacity() / t.bytes);
        long[] index = new long[shape.length];
        for (int i = 0; i < out.length; i++) {
            long at = offset;
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * stride[d];
            }
            out[i] = t.read(bytes, (int) at);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    /** The largest element a view touches must lie inside its storage (a corrupt header must not read past it). */
    private void checkBounds(TorchSave archive, long storageElements) throws IOException {
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return;
            }
            last += (shape[d] - 1) * stride[d];
        }
        if (offset < 0 || last >= storageElements) {
            throw new IOException(archive.file() + ": tensor " + Arrays.toString(shape) + " at offset " + offset
                    + " with strides " + Arrays.toString(stride) + " reaches element " + last + " of a storage of "
                    + storageElements + " (" + storage.key() + "): the file is corrupt");
        }
    }
}
