package dev.twine.reactor.netty;

import dev.twine.defer.Failure;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.WriteDescriptor;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoOps;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A user's channel watched through {@link dev.twine.reactor.ReactorDescriptors}: registered with the
 * same Netty selector as the reactor's own channels, for reading, writing or both (a reader and a
 * writer may be different objects on one channel).
 */
final class Watched implements NioIoHandle {
    private final NettyReactor reactor;
    private final SelectableChannel channel;
    ReadDescriptor reader;
    WriteDescriptor writer;
    private IoRegistration registration;

    Watched(NettyReactor reactor, SelectableChannel channel) {
        this.reactor = reactor;
        this.channel = channel;
    }

    @Override
    public SelectableChannel selectableChannel() {
        return channel;
    }

    /** Registers, or changes what is watched; unregisters when nothing is. */
    void update() {
        int ops = 0;
        if (reader != null) {
            ops |= channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if (writer != null) {
            boolean connecting = channel instanceof SocketChannel socket && socket.isConnectionPending();
            ops |= channel.validOps() & (connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE);
        }
        if (ops == 0) {
            if (registration != null) {
                registration.cancel();
                registration = null;
            }
            return;
        }
        if (registration == null) {
            try {
                channel.configureBlocking(false);
                registration = reactor.loop.register(this).syncUninterruptibly().getNow();
            } catch (Exception e) {
                throw new IllegalStateException("could not watch " + channel + ": " + e, e);
            }
        }
        registration.submit(NioIoOps.valueOf(ops));
    }

    @Override
    public void handle(IoRegistration ready, IoEvent event) {
        int ops = ((NioIoEvent) event).ops().value();
        ReadDescriptor r = reader;
        if (r != null && (ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            Throwable why = call(r, true);
            if (why != null) {
                reactor.dropDescriptor(r, why);
                return;
            }
        }
        WriteDescriptor w = writer;
        if (w != null && (ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            Throwable why = call(w, false);
            if (why != null) {
                reactor.dropDescriptor(w, why);
            } else if (writer == w && (ops & SelectionKey.OP_CONNECT) != 0) {
                update(); // connected now: watch for writing instead
            }
        }
    }

    private Throwable call(Descriptor descriptor, boolean read) {
        try {
            return read ? ((ReadDescriptor) descriptor).doRead() : ((WriteDescriptor) descriptor).doWrite();
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + descriptor.logPrefix() + (read ? " (doRead):" : " (doWrite):"));
            return e;
        }
    }

    @Override
    public void close() {
        // The descriptor owns its channel; Netty closing the selector must not close it.
    }

    /** Tells {@code descriptor} it is no longer watched. */
    static void lost(NettyReactor reactor, Descriptor descriptor, Failure reason) {
        try {
            descriptor.connectionLost(reason);
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + descriptor.logPrefix() + " (connectionLost):");
        }
    }
}
