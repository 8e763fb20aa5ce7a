package dev.twine.conformance.broken;

import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReactorTLS;
import dev.twine.reactor.ReactorUDP;
import dev.twine.reactor.ReactorUnix;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.SystemEventTrigger;
import dev.twine.reactor.TriggerHandle;
import dev.twine.reactor.WriteDescriptor;
import dev.twine.reactor.nio.NioReactor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The built-in reactor behind every interface, forwarding each call: a broken variant overrides
 * the one behaviour it breaks. Protocol factories pass through {@link #wrap(ProtocolFactory)} and
 * {@link #wrap(ClientFactory)}, so a variant can also change what protocols and transports see.
 */
class ForwardingReactor implements Reactor, ReactorUDP, ReactorUnix, ReactorTLS, ReactorDescriptors {
    protected final NioReactor delegate = new NioReactor();

    protected ProtocolFactory wrap(ProtocolFactory factory) {
        return factory;
    }

    protected ClientFactory wrap(ClientFactory factory) {
        return factory;
    }

    protected ListeningPort wrap(ListeningPort port) {
        return port;
    }

    @Override
    public void run() {
        delegate.run();
    }

    @Override
    public void stop() {
        delegate.stop();
    }

    @Override
    public void crash() {
        delegate.crash();
    }

    @Override
    public void iterate(Duration maxWait) {
        delegate.iterate(maxWait);
    }

    @Override
    public boolean isRunning() {
        return delegate.isRunning();
    }

    @Override
    public void callWhenRunning(Runnable callable) {
        delegate.callWhenRunning(callable);
    }

    @Override
    public TriggerHandle addSystemEventTrigger(Phase phase, String eventType, SystemEventTrigger trigger) {
        return delegate.addSystemEventTrigger(phase, eventType, trigger);
    }

    @Override
    public void removeSystemEventTrigger(TriggerHandle handle) {
        delegate.removeSystemEventTrigger(handle);
    }

    @Override
    public void fireSystemEvent(String eventType) {
        delegate.fireSystemEvent(eventType);
    }

    @Override
    public DelayedCall callLater(Duration delay, Runnable callable) {
        return delegate.callLater(delay, callable);
    }

    @Override
    public double seconds() {
        return delegate.seconds();
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        return delegate.getDelayedCalls();
    }

    @Override
    public void callFromThread(Runnable callable) {
        delegate.callFromThread(callable);
    }

    @Override
    public void callInThread(Runnable callable) {
        delegate.callInThread(callable);
    }

    @Override
    public void suggestThreadPoolSize(int size) {
        delegate.suggestThreadPoolSize(size);
    }

    @Override
    public boolean isInIOThread() {
        return delegate.isInIOThread();
    }

    @Override
    public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
        return wrap(delegate.listenTCP(port, wrap(factory), backlog, iface));
    }

    @Override
    public Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout, InetSocketAddress bindAddress) {
        return delegate.connectTCP(host, port, wrap(factory), timeout, bindAddress);
    }

    @Override
    public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        return delegate.listenUDP(port, protocol, iface, maxPacketSize);
    }

    @Override
    public ListeningPort listenUNIX(Path address, ProtocolFactory factory, int backlog) {
        return wrap(delegate.listenUNIX(address, wrap(factory), backlog));
    }

    @Override
    public Connector connectUNIX(Path address, ClientFactory factory, Duration timeout) {
        return delegate.connectUNIX(address, wrap(factory), timeout);
    }

    @Override
    public ListeningPort listenSSL(int port, ProtocolFactory factory, SSLContext context, int backlog, String iface) {
        return wrap(delegate.listenSSL(port, wrap(factory), context, backlog, iface));
    }

    @Override
    public Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context, Duration timeout,
            InetSocketAddress bindAddress) {
        return delegate.connectSSL(host, port, wrap(factory), context, timeout, bindAddress);
    }

    @Override
    public void addReader(ReadDescriptor reader) {
        delegate.addReader(reader);
    }

    @Override
    public void addWriter(WriteDescriptor writer) {
        delegate.addWriter(writer);
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        delegate.removeReader(reader);
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        delegate.removeWriter(writer);
    }

    @Override
    public List<Descriptor> removeAll() {
        return delegate.removeAll();
    }

    @Override
    public List<ReadDescriptor> getReaders() {
        return delegate.getReaders();
    }

    @Override
    public List<WriteDescriptor> getWriters() {
        return delegate.getWriters();
    }
}
