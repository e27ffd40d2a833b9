package io.github.moderncnns.training;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.MimeMapping;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.core.storage.StatsStorageListener;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NProvider;
import org.deeplearning4j.ui.model.storage.impl.QueueStatsStorageListener;
import org.deeplearning4j.ui.module.defaultModule.DefaultModule;
import org.deeplearning4j.ui.module.train.TrainModule;

/**
 * DL4J's training UI (its overview, model and system pages with their assets), served by a server of our own,
 * because DL4J 1.0.0-M2.1's {@code VertxUIServer} listens on every network interface, accepts multipart uploads on
 * every route and stores them under {@code java.io.tmpdir/DL4JUI_<millis>/} without a size limit and without ever
 * deleting them, and adds modules that take uploads (t-SNE) or remote statistics from anyone. This one:
 * <ul>
 *   <li>listens on the host it is given, 127.0.0.1 unless asked otherwise;</li>
 *   <li>answers GET and HEAD only; any other method gets 405 and no request body is ever read or stored;</li>
 *   <li>refuses requests that announce a body (413), and limits the request line and headers (Vert.x answers 414 and
 *   431 beyond them);</li>
 *   <li>serves assets from the class path only (no file-system paths, no {@code ..});</li>
 *   <li>serves only DL4J's {@link TrainModule} and the {@link DefaultModule} redirect to it.</li>
 * </ul>
 * It extends {@code VertxUIServer} only because {@code TrainModule} asks {@code VertxUIServer.getInstance()} for
 * the running server (whose constructor registers it); none of the superclass's own server code runs.
 */
public final class TrainingUiServer extends VertxUIServer {
    /** The loopback address, where the UI listens unless asked otherwise. */
    public static final String LOOPBACK = "127.0.0.1";
    private static final int MAX_REQUEST_LINE = 4_096;
    private static final int MAX_HEADERS = 8_192;
    private static final Pattern SAFE_ASSET = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");

    private final Vertx vertx = Vertx.vertx();
    private final List<UIModule> modules = List.of(new DefaultModule(false), new TrainModule());
    /** The shown statistics and the listener through which each reports to {@link #events}. */
    private final Map<StatsStorage, StatsStorageListener> attached = new ConcurrentHashMap<>();
    private final BlockingQueue<StatsStorageEvent> events = new LinkedBlockingQueue<>();
    private final Thread eventRouter;
    private final HttpServer server;
    private final String host;
    private volatile boolean stopped;

    private TrainingUiServer(String host) {
        this.host = host;
        this.server = vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADERS).setCompressionSupported(true))
                .requestHandler(router());
        this.eventRouter = new Thread(this::routeEvents, "training-ui-events");
        this.eventRouter.setDaemon(true);
    }

    /**
     * Starts a server.
     *
     * @param host the address to listen on (127.0.0.1 for this machine only)
     * @param port the TCP port, or 0 for any free one ({@link #getPort()} tells which)
     * @return the running server
     * @throws IOException if it cannot listen there (the port is taken, or the host is not an address of this
     *                     machine)
     */
    public static TrainingUiServer start(String host, int port) throws IOException {
        TrainingUiServer ui = new TrainingUiServer(host);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        ui.server.listen(port, host, result -> {
            if (result.succeeded()) {
                listening.complete(null);
            } else {
                listening.completeExceptionally(result.cause());
            }
        });
        try {
            listening.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            ui.vertx.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot listen on " + host + ":" + port + " (" + cause.getMessage() + ")", cause);
        } catch (InterruptedException e) {
            ui.vertx.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the training UI", e);
        }
        ui.eventRouter.start();
        return ui;
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(this::refuseBodiesAndOtherMethods);
        router.get("/assets/*").blockingHandler(this::asset, false);
        router.get("/setlang/:to").handler(rc -> {
            String to = rc.pathParam("to");
            if (LANGUAGE.matcher(to).matches()) {
                I18NProvider.getInstance().setDefaultLanguage(to);
            }
            rc.response().end();
        });
        for (UIModule module : modules) {
            for (Route route : module.getRoutes()) {
                if (route.getHttpMethod() == org.deeplearning4j.ui.api.HttpMethod.GET) {
                    router.get(route.getRoute()).handler(rc -> route.getConsumer().accept(pathArguments(route, rc),
                            rc));
                }
            }
        }
        return router;
    }

    /** Nothing but reading: no method that carries a body, and no body on any request. */
    private void refuseBodiesAndOtherMethods(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            rc.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").putHeader("Connection", "close")
                    .end("The training UI is read-only.\n");
            return;
        }
        String length = rc.request().getHeader("Content-Length");
        if (length != null && !length.equals("0") || rc.request().getHeader("Transfer-Encoding") != null) {
            rc.response().setStatusCode(413).putHeader("Connection", "close").end("No request bodies here.\n");
            return;
        }
        rc.next();
    }

    /** DL4J's UI assets and its webjars, from the class path only. */
    private void asset(RoutingContext rc) {
        String path = rc.normalisedPath().substring("/assets/".length());
        if (!SAFE_ASSET.matcher(path).matches() || path.contains("..")) {
            rc.response().setStatusCode(404).end();
            return;
        }
        String resource = path.contains("webjars") ? "META-INF/resources/" + path.substring(path.indexOf("webjars"))
                : VertxUIServer.ASSETS_ROOT_DIRECTORY + path;
        try (InputStream in = TrainingUiServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                rc.response().setStatusCode(404).end();
                return;
            }
            String type = MimeMapping.getMimeTypeForFilename(resource);
            rc.response().putHeader("Content-Type", type == null ? "application/octet-stream" : type)
                    .end(io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            rc.response().setStatusCode(500).end();
        }
    }

    private static List<String> pathArguments(Route route, RoutingContext rc) {
        List<String> arguments = new ArrayList<>();
        for (String part : route.getRoute().split("/")) {
            if (part.startsWith(":")) {
                arguments.add(rc.pathParam(part.substring(1)));
            }
        }
        return arguments;
    }

    /** Hands the statistics that listeners record to the modules, as DL4J's server does. */
    private void routeEvents() {
        while (!stopped) {
            List<StatsStorageEvent> batch = new ArrayList<>();
            try {
                batch.add(events.take());
            } catch (InterruptedException e) {
                return; // stopping
            }
            events.drainTo(batch);
            for (UIModule module : modules) {
                List<StatsStorageEvent> wanted = batch.stream().filter(e -> module.getCallbackTypeIDs()
                        .contains(e.getTypeID()) && attached.containsKey(e.getStatsStorage())).toList();
                if (!wanted.isEmpty()) {
                    module.reportStorageEvents(wanted);
                }
            }
        }
    }

    /** @return the address the server listens on, e.g. {@code 127.0.0.1} */
    public String host() {
        return host;
    }

    @Override
    public String getAddress() {
        return "http://" + (host.equals(LOOPBACK) ? "localhost" : host) + ":" + getPort();
    }

    @Override
    public int getPort() {
        return server.actualPort();
    }

    @Override
    public boolean isMultiSession() {
        return false;
    }

    @Override
    public void attach(StatsStorage storage) {
        if (attached.containsKey(storage)) {
            return;
        }
        StatsStorageListener listener = new QueueStatsStorageListener(events);
        storage.registerStatsStorageListener(listener);
        attached.put(storage, listener);
        modules.forEach(module -> module.onAttach(storage));
    }

    @Override
    public void detach(StatsStorage storage) {
        StatsStorageListener listener = attached.remove(storage);
        if (listener != null) {
            storage.deregisterStatsStorageListener(listener);
            modules.forEach(module -> module.onDetach(storage));
        }
    }

    @Override
    public boolean isAttached(StatsStorage storage) {
        return attached.containsKey(storage);
    }

    @Override
    public List<StatsStorage> getStatsStorageInstances() {
        return List.copyOf(attached.keySet());
    }

    /** Remote statistics are not accepted: they would let anyone who reaches the port write into our storage. */
    @Override
    public void enableRemoteListener() {
        throw new UnsupportedOperationException("the training UI accepts no remote statistics");
    }

    @Override
    public void enableRemoteListener(StatsStorageRouter storage, boolean attach) {
        enableRemoteListener();
    }

    @Override
    public void disableRemoteListener() {
        // never enabled
    }

    @Override
    public boolean isRemoteListenerEnabled() {
        return false;
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }

    /** Stops listening and frees the port; the statistics files stay. */
    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        eventRouter.interrupt();
        List.copyOf(attached.keySet()).forEach(this::detach);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        vertx.close(result -> closed.complete(null));
        try {
            closed.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing is best effort: the JVM exits soon after in every caller
        }
    }

    @Override
    public void stopAsync(Promise<Void> callback) {
        stop();
        callback.complete();
    }
}
