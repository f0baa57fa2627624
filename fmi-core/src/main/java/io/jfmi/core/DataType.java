package io.jfmi.core;

/** Element types a collective can carry. Multi-byte elements travel little-endian. */
public enum DataType {
    BYTE(1),
    INT(4),
    LONG(8),
    FLOAT(4),
    DOUBLE(8);

    private final int size;

    DataType(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }
}
