import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Throwaway: java StreamWait read|select PORT SIZE COUNT (reader, listens) / java StreamWait write PORT SIZE COUNT. */
public class StreamWait {
    public static void main(String[] a) throws Exception {
        String mode = a[0];
        int port = Integer.parseInt(a[1]), size = Integer.parseInt(a[2]);
        long count = Long.parseLong(a[3]);
        ByteBuffer buf = ByteBuffer.allocateDirect(size);
        if (mode.equals("write")) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.configureBlocking(false);
            for (long i = 0; i < count; i++) {
                buf.clear();
                while (buf.hasRemaining()) {
                    c.write(buf);
                }
            }
            c.configureBlocking(true);
            c.read(ByteBuffer.allocate(1));
            return;
        }
        ServerSocketChannel l = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", port));
        SocketChannel s = l.accept();
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        s.configureBlocking(false);
        Selector sel = Selector.open();
        SelectionKey key = s.register(sel, SelectionKey.OP_READ);
        long empty = 0, waits = 0;
        long t0 = System.nanoTime();
        for (long i = 0; i < count; i++) {
            buf.clear();
            while (buf.hasRemaining()) {
                if (mode.equals("select")) {
                    while (sel.selectNow() == 0) {
                        waits++;
                    }
                    sel.selectedKeys().clear();
                }
                if (s.read(buf) <= 0) {
                    empty++;
                }
            }
        }
        long t = System.nanoTime() - t0;
        s.write(ByteBuffer.wrap(new byte[] {1}));
        System.out.printf("java %s %d B: %d ns per message, %.2f empty reads, %.2f empty selects per message%n", mode,
                size, t / count, (double) empty / count, (double) waits / count);
    }
}
