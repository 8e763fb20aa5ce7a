import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** ci/interop: fetches what a server sends, with Twine's fake client, into a file. Usage: PORT OUTPUT. */
public class FetchWithFakeClient {
    public static void main(String[] args) throws Exception {
        ClientRecord seen = FakeClient.to("127.0.0.1", Integer.parseInt(args[0])).start().await(Duration.ofSeconds(60));
        Files.write(Path.of(args[1]), seen.received());
        System.out.println(seen.bytesReceived() + " bytes, ended " + seen.ending());
    }
}
