public class Shapes {
    static void plain(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
    static void u8(double[] x, double[] y, int n) {
        int i = 0;
        for (; i + 7 < n; i += 8) { x[i] += y[i]; x[i+1] += y[i+1]; x[i+2] += y[i+2]; x[i+3] += y[i+3];
            x[i+4] += y[i+4]; x[i+5] += y[i+5]; x[i+6] += y[i+6]; x[i+7] += y[i+7]; }
        for (; i < n; i++) { x[i] += y[i]; }
    }
    static void u4(double[] x, double[] y, int n) {
        int i = 0;
        for (; i + 3 < n; i += 4) { x[i] += y[i]; x[i+1] += y[i+1]; x[i+2] += y[i+2]; x[i+3] += y[i+3]; }
        for (; i < n; i++) { x[i] += y[i]; }
    }
    static void u16(double[] x, double[] y, int n) {
        int i = 0;
        for (; i + 15 < n; i += 16) { x[i] += y[i]; x[i+1] += y[i+1]; x[i+2] += y[i+2]; x[i+3] += y[i+3];
            x[i+4] += y[i+4]; x[i+5] += y[i+5]; x[i+6] += y[i+6]; x[i+7] += y[i+7];
            x[i+8] += y[i+8]; x[i+9] += y[i+9]; x[i+10] += y[i+10]; x[i+11] += y[i+11];
            x[i+12] += y[i+12]; x[i+13] += y[i+13]; x[i+14] += y[i+14]; x[i+15] += y[i+15]; }
        for (; i < n; i++) { x[i] += y[i]; }
    }
    static void fplain(float[] x, float[] y, int n) { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
    static void fu8(float[] x, float[] y, int n) {
        int i = 0;
        for (; i + 7 < n; i += 8) { x[i] += y[i]; x[i+1] += y[i+1]; x[i+2] += y[i+2]; x[i+3] += y[i+3];
            x[i+4] += y[i+4]; x[i+5] += y[i+5]; x[i+6] += y[i+6]; x[i+7] += y[i+7]; }
        for (; i < n; i++) { x[i] += y[i]; }
    }
    static void iplain(int[] x, int[] y, int n) { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
    static void iu8(int[] x, int[] y, int n) {
        int i = 0;
        for (; i + 7 < n; i += 8) { x[i] += y[i]; x[i+1] += y[i+1]; x[i+2] += y[i+2]; x[i+3] += y[i+3];
            x[i+4] += y[i+4]; x[i+5] += y[i+5]; x[i+6] += y[i+6]; x[i+7] += y[i+7]; }
        for (; i < n; i++) { x[i] += y[i]; }
    }
    public static void main(String[] a) {
        double[] x = new double[1024], y = new double[1024];
        float[] fx = new float[1024], fy = new float[1024];
        int[] ix = new int[1024], iy = new int[1024];
        String[] names = {"d-plain","d-u4","d-u8","d-u16","f-plain","f-u8","i-plain","i-u8"};
        for (int rep = 0; rep < 3; rep++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < names.length; k++) {
                long best = Long.MAX_VALUE;
                for (int it = 0; it < 3000; it++) {
                    long t0 = System.nanoTime();
                    for (int c = 0; c < 128; c++) {
                        switch (k) {
                            case 0 -> plain(x, y, 1024); case 1 -> u4(x, y, 1024); case 2 -> u8(x, y, 1024);
                            case 3 -> u16(x, y, 1024); case 4 -> fplain(fx, fy, 1024); case 5 -> fu8(fx, fy, 1024);
                            case 6 -> iplain(ix, iy, 1024); default -> iu8(ix, iy, 1024);
                        }
                    }
                    best = Math.min(best, System.nanoTime() - t0);
                }
                sb.append(String.format("%s=%.1f ", names[k], best / 1000.0));
            }
            if (rep > 0) System.out.println(sb);
        }
    }
}
