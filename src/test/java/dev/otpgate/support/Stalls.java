package dev.otpgate.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;

/** Dependencies that do not answer: a delayed WireMock stub, and a socket that accepts and never writes. */
public final class Stalls {

    /** Long enough that only a client timeout (never the dependency) ends the wait: the Lambda timeout is 10 s. */
    public static final int STALL_MILLIS = 25_000;

    private Stalls() {
    }

    /** SNS Publish (or SES SendEmail) is received but answered only after {@link #STALL_MILLIS}. */
    public static void stallAction(WireMockServer wireMock, String action) {
        wireMock.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=" + action)).atPriority(1)
                .willReturn(aResponse().withStatus(200).withFixedDelay(STALL_MILLIS).withBody("<late/>")));
    }

    /**
     * A server that accepts every connection and never reads an answer back: the TCP handshake succeeds
     * (so a connect timeout does not help), then silence.
     */
    public static final class BlackHole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        public BlackHole() {
            try {
                server = new ServerSocket(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept()); // kept open, never written to
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        public String endpoint() {
            return "http://localhost:" + server.getLocalPort();
        }

        public int connections() {
            return accepted.size();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket s : accepted) {
                    s.close();
                }
            } catch (IOException e) {
                // closing test sockets: nothing to do
            }
        }
    }
}
