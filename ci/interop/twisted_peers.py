"""Peers written with real Twisted, to check Twine's fake servers against the reference.

Written for Twine's ci/interop (not taken from the Twisted tutorial):
  netstring-client PORT             send one transform request as a netstring, print the reply
  poetry-client PORT                read a poem until the server closes; print JSON with the bytes
                                    (hex), each chunk's arrival time and the close time
  slow-server FILE NUM_CHARS DELAY  a tutorial-style slow poetry server; prints "PORT <n>"
"""
import json
import sys
import time

from twisted.internet import protocol, reactor
from twisted.protocols.basic import NetstringReceiver


class TransformRequest(NetstringReceiver):
    def connectionMade(self):
        self.sendString(b"cummingsify.HERE IS MY POEM")

    def stringReceived(self, data):
        print(data.decode("utf-8"))
        self.transport.loseConnection()

    def connectionLost(self, reason):
        if reactor.running:
            reactor.stop()


class PoemReader(protocol.Protocol):
    def connectionMade(self):
        self.start = time.monotonic()
        self.data = b""
        self.arrivals = []

    def dataReceived(self, data):
        self.data += data
        self.arrivals.append([round(time.monotonic() - self.start, 3), len(data)])

    def connectionLost(self, reason):
        print(json.dumps({
            "hex": self.data.hex(),
            "arrivals": self.arrivals,
            "closed_at": round(time.monotonic() - self.start, 3),
            "reason": reason.type.__name__,
        }))
        if reactor.running:
            reactor.stop()


class SlowPoem(protocol.Protocol):
    def connectionMade(self):
        text = self.factory.poem
        size = self.factory.num_chars
        self.chunks = [text[i:i + size].encode("utf-8") for i in range(0, len(text), size)]
        self.next_chunk()

    def next_chunk(self):
        if not self.chunks:
            self.transport.loseConnection()
            return
        self.transport.write(self.chunks.pop(0))
        reactor.callLater(self.factory.delay, self.next_chunk)

    def connectionLost(self, reason):
        self.chunks = []


def fail_and_stop(failure):
    print("failed: %s" % failure.getErrorMessage(), file=sys.stderr)
    if reactor.running:
        reactor.stop()


def main(argv):
    mode = argv[1]
    if mode == "netstring-client":
        factory = protocol.ClientFactory.forProtocol(TransformRequest)
        factory.clientConnectionFailed = lambda connector, failure: fail_and_stop(failure)
        reactor.connectTCP("127.0.0.1", int(argv[2]), factory)
    elif mode == "poetry-client":
        factory = protocol.ClientFactory.forProtocol(PoemReader)
        factory.clientConnectionFailed = lambda connector, failure: fail_and_stop(failure)
        reactor.connectTCP("127.0.0.1", int(argv[2]), factory)
    elif mode == "slow-server":
        factory = protocol.ServerFactory.forProtocol(SlowPoem)
        with open(argv[2], encoding="utf-8") as poem:
            factory.poem = poem.read()
        factory.num_chars = int(argv[3])
        factory.delay = float(argv[4])
        port = reactor.listenTCP(0, factory, interface="127.0.0.1")
        print("PORT %d" % port.getHost().port, flush=True)
    else:
        raise SystemExit("unknown mode " + mode)
    reactor.run()


if __name__ == "__main__":
    main(sys.argv)
