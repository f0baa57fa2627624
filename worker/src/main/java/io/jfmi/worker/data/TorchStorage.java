package io.jfmi.worker.data;

import java.nio.ByteBuffer;

/** A storage record in a {@code torch.save} archive: its element type and the archive entry holding its bytes. */
public record TorchStorage(DType dtype, String key, long numel) {

    /** Storage element types that can be read as floats. */
    public enum DType {
        FLOAT("FloatStorage", "float32", 4), DOUBLE("DoubleStorage", "float64", 8), HALF("HalfStorage", "float16", 2),
        LONG("LongStorage", "int64", 8), INT("IntStorage", "int32", 4);

        final String storageClass;
        final String pythonName;
        final int bytes;

        DType(String storageClass, String pythonName, int bytes) {
            this.storageClass = storageClass;
            this.pythonName = pythonName;
            this.bytes = bytes;
        }

        float read(ByteBuffer b, int element) {
            int at = element * bytes;
            return switch (this) {
                case FLOAT -> b.getFloat(at);
                case DOUBLE -> (float) b.getDouble(at);
                case HALF -> halfToFloat(b.getShort(at));
                case LONG -> b.getLong(at);
                case INT -> b.getInt(at);
            };
        }

        /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
        static float halfToFloat(short h) {
            int sign = (h & 0x8000) << 16;
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            if (exp == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
            }
            if (exp == 0) {
                float v = mant * 0x1p-24f;
                return sign != 0 ? -v : v;
            }
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
    }
}
