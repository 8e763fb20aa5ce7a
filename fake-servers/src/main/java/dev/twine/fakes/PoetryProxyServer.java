package dev.twine.fakes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The tutorial's poetry proxy, as version 3.0 behaves: each client gets the poem from the upstream
 * poetry server, then a clean close. The first poem that arrives is cached for good ("Using cached
 * poem."); until then every client makes its own download ("Fetching poem from server."; no
 * coalescing). The poem is everything the upstream sends until it closes; a download cut short counts
 * as a (partial) poem and is cached. A client that leaves before its poem arrives cancels its
 * download ("Canceling poem download.", recorded): the upstream connection is closed and nothing is
 * cached. An upstream that refuses: the client is closed cleanly with nothing sent, and the failure
 * is recorded.
 */
public final class PoetryProxyServer extends TcpFakeServer {
    private final String upstreamHost;
    private final int upstreamPort;
    private byte[] cached;

    PoetryProxyServer(String upstreamHost, int upstreamPort, String iface, int port, Consumer<String> printer) {
        super("proxy", iface, port, printer);
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        log.line("Proxying ('" + upstreamHost + "', " + upstreamPort + ") on IPv4Address(type='TCP', host='" + host()
                + "', port=" + port() + ").");
        startAccepting();
    }

    /** The cached poem, or null while none has arrived. */
    public byte[] cachedPoem() {
        return loop.call(() -> cached == null ? null : cached.clone());
    }

    @Override
    void accepted(Link client) throws IOException {
        if (cached != null) {
            log.line("Using cached poem.");
            client.listener(watched((l, data) -> { }));
            client.start();
            client.send(cached);
            client.closeAfterSending();
            return;
        }
        log.line("Fetching poem from server.");
        Download download = new Download(client);
        client.listener(watched(download));
        client.start();
        download.begin();
    }

    /** One client's download; it is also the client link's listener. */
    private final class Download implements Link.Listener {
        private final Link client;
        private final ByteArrayOutputStream poem = new ByteArrayOutputStream();
        private SocketChannel upstream;
        private Link upstreamLink;
        private boolean finished;

        Download(Link client) {
            this.client = client;
        }

        void begin() throws IOException {
            upstream = SocketChannel.open();
            upstream.configureBlocking(false);
            if (upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort))) {
                connected();
            } else {
                loop.register(upstream, SelectionKey.OP_CONNECT, key -> {
                    try {
                        if (upstream.finishConnect()) {
                            key.interestOps(0);
                            connected();
                        }
                    } catch (IOException e) {
                        failed(e);
                    }
                });
            }
        }

        private void connected() throws IOException {
            if (finished) {
                closeQuietly(upstream);
                return;
            }
            ConnectionLog upstreamLog = new FakeLog("proxy-upstream", line -> { }).newConnection(Link.describe(upstream));
            upstreamLink = new Link(loop, upstream, upstreamLog, new Link.Listener() {
                @Override
                public void data(Link link, byte[] data) {
                    poem.writeBytes(data);
                }

                @Override
                public void peerClosed(Link link) {
                    link.closeNow();
                }

                @Override
                public void ended(Link link) {
                    arrived();
                }
            });
            upstreamLink.start();
        }

        private void failed(IOException e) {
            closeQuietly(upstream);
            if (finished) {
                return;
            }
            finished = true;
            boolean refused = e instanceof ConnectException && String.valueOf(e.getMessage()).contains("refused");
            client.log.fault(refused ? FaultKind.UPSTREAM_REFUSED : FaultKind.UPSTREAM_FAILED,
                    "upstream " + upstreamHost + ":" + upstreamPort + ": " + e.getMessage());
            client.closeAfterSending();
            checkWatchers();
        }

        /** The upstream closed (or failed): what came is the poem. */
        private void arrived() {
            if (finished) {
                return;
            }
            finished = true;
            byte[] bytes = poem.toByteArray();
            if (cached == null) {
                cached = bytes;
            }
            client.send(bytes);
            client.closeAfterSending();
            checkWatchers();
        }

        @Override
        public void data(Link link, byte[] data) {
            // clients send nothing the proxy needs
        }

        @Override
        public void peerClosed(Link link) {
            cancel();
            link.closeAfterSending();
        }

        @Override
        public void ended(Link link) {
            cancel();
        }

        /** The client went away before its poem: stop the download, cache nothing. */
        private void cancel() {
            if (finished) {
                return;
            }
            finished = true;
            log.line("Canceling poem download.");
            client.log.fault(FaultKind.DOWNLOAD_CANCELLED, "the client left before the poem arrived");
            if (upstreamLink != null) {
                upstreamLink.closeNow();
            } else {
                closeQuietly(upstream);
            }
        }
    }
}
