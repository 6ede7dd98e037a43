package io.ferry.server.internal;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.ferry.core.ConfigException;
import io.ferry.core.control.FerryControl;
import io.ferry.core.control.FerryControl.ThrottleScope;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.WriterState;
import io.ferry.server.api.ActionJson;
import io.ferry.server.api.ErrorJson;
import io.ferry.server.api.StatusJson;
import io.ferry.server.ControlServerSettings;
import io.ferry.server.api.UpdatableConfigJson;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every endpoint of the control server, in one table, and the handlers: thin adapters from HTTP to
 * {@link FerryControl}. Route and state names follow Ghostferry and its fork. Form posts (the classic page) are
 * answered with a 303 redirect to {@code /}; other posts with JSON.
 */
public final class Routes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    private static final String HEALTH_AGE_PARAM = "BinlogWriterStateTsAgeMs";
    private static final Duration HEALTH_WAIT_LIMIT = Duration.ofSeconds(30);
    private static final String BATCH_SIZE_KEY = "DataIterationBatchSize";

    private final FerryControl control;
    /** The bearer token's bytes, or {@code null} when none is required. */
    private final byte[] token;
    private final RequestGuard guard;
    private final String version;
    private final Gson gson = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.UPPER_CAMEL_CASE)
            .serializeNulls().disableHtmlEscaping().create();
    private final StatusPage page;
    private final ScriptRunner scripts;

    public Routes(FerryControl control, ControlServerSettings settings) {
        this.control = control;
        String bearerToken = settings.bearerToken().value();
        this.token = bearerToken.isEmpty() ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
        this.version = settings.version();
        this.guard = new RequestGuard(settings.host());
        this.page = settings.webBasedir() == null ? StatusPage.builtIn(resource("index.html"))
                : StatusPage.from(settings.webBasedir());
        this.scripts = new ScriptRunner(settings.customScripts(), InstantSource.system());
    }

    public void register(RoutesConfig r) {
        r.before(guard::check);
        r.before("/api/*", this::authorize);
        r.before("/metrics", this::authorize);
        r.get("/", page::index);
        r.get("/static/<path>", page::file);
        r.get("/api/status", ctx -> json(ctx, 200, withScripts(statusJson(control.status()))));
        r.get("/api/health", this::health);
        r.get("/api/ready", this::ready);
        r.post("/api/pause", ctx -> pause(ctx, ThrottleScope.ALL));
        r.post("/api/unpause", ctx -> unpause(ctx, ThrottleScope.ALL));
        r.post("/api/actions/pause", ctx -> pause(ctx, scope(ctx)));
        r.post("/api/actions/unpause", ctx -> unpause(ctx, scope(ctx)));
        r.post("/api/cutover", this::cutover);
        r.post("/api/actions/cutover", this::cutover);
        r.post("/api/stop", this::stop);
        r.post("/api/actions/stop", this::stop);
        r.post("/api/verify", this::verify);
        r.post("/api/actions/verify", this::verify);
        r.get("/api/config", ctx -> json(ctx, 200, configJson()));
        r.post("/api/config", this::updateConfig);
        r.get("/api/scripts", ctx -> json(ctx, 200, scripts.statuses()));
        r.post("/api/script", this::runScript);
        r.get("/metrics", ctx -> ctx.contentType(PrometheusText.CONTENT_TYPE).result(PrometheusText.render(control.status())));
        r.exception(HttpError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        r.exception(ConfigException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        r.exception(Exception.class, this::unexpected);
    }

    private void authorize(Context ctx) {
        if (token != null && !MessageDigest.isEqual(token, bearer(header(ctx, "Authorization")))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"ferry\"");
            throw new HttpError(401, "missing or wrong bearer token; send Authorization: Bearer <ControlServerConfig.BearerToken>");
        }
    }

    /** The credentials of an {@code Authorization: Bearer <token>} header; the scheme is case-insensitive (RFC 7235). */
    private static byte[] bearer(String authorization) {
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return new byte[0];
        }
        return value.substring(space + 1).strip().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * 500 when the binlog writer's state is older than {@code BinlogWriterStateTsAgeMs} (Ghostferry's check), or
     * when a server has left a timed statement unanswered for longer than that limit ({@link #HEALTH_WAIT_LIMIT}
     * without one): a frozen or overloaded server.
     */
    private void health(Context ctx) {
        Duration maxAge = maxWriterStateAge(ctx.queryParam(HEALTH_AGE_PARAM));
        RunStatus status = control.status();
        Duration age = Duration.between(status.replication().writerStateAt(), status.at());
        boolean stale = maxAge != null && age.compareTo(maxAge) > 0;
        boolean stalled = status.longestTimedWait().compareTo(maxAge == null ? HEALTH_WAIT_LIMIT : maxAge) > 0;
        json(ctx, stale || stalled ? 500 : 200, statusJson(status));
    }

    /**
     * 200 once the binlog applier runs (the source's changes reach the target) and until the run is done, else
     * 503; the body is the status JSON. A readiness probe: the pod serves its control port while it streams.
     */
    private void ready(Context ctx) {
        RunStatus status = control.status();
        boolean streaming = status.replication().writerState() != WriterState.INIT && status.phase() != RunPhase.DONE;
        json(ctx, streaming ? 200 : 503, statusJson(status));
    }

    private void pause(Context ctx, ThrottleScope scope) {
        control.pause(scope);
        done(ctx, 200, "pause", "paused " + scope.name().toLowerCase(Locale.ROOT));
    }

    private void unpause(Context ctx, ThrottleScope scope) {
        control.unpause(scope);
        done(ctx, 200, "unpause", "unpaused " + scope.name().toLowerCase(Locale.ROOT));
    }

    private void cutover(Context ctx) {
        String type = param(ctx, "type");
        switch (type == null ? "" : type) {
            case "automatic" -> control.setAutomaticCutover(true);
            case "manual" -> control.setAutomaticCutover(false);
            default -> throw HttpError.badRequest("type = " + type + ": must be automatic or manual");
        }
        done(ctx, 200, "cutover", "cutover set to " + type);
    }

    private void stop(Context ctx) {
        control.requestStop();
        done(ctx, 202, "stop", "stop requested; the run stops at the next clean point");
    }

    private void verify(Context ctx) {
        if (!control.status().verifier().supported()) {
            throw new HttpError(501, "this run has no verifier (VerifierSupport is false); set VerifierType to"
                    + " ChecksumTable, Iterative or Inline in the config, or run 'ferry verify CONFIG' after cutover");
        }
        try {
            control.startVerification();
        } catch (IllegalStateException e) {
            throw new HttpError(409, e.getMessage());
        }
        done(ctx, 202, "verify", "verification started; /api/status shows VerificationDone and VerificationResult");
    }

    /** Ghostferry's {@code POST /api/script}: the name as form field {@code script} or JSON {@code script-name}. */
    private void runScript(Context ctx) {
        String name = param(ctx, "script");
        if (name == null) {
            name = param(ctx, "script-name");
        }
        if (name == null || name.isEmpty()) {
            throw HttpError.badRequest("name the script: form field script=<name> or JSON {\"script-name\": \"<name>\"}");
        }
        scripts.start(name);
        done(ctx, 202, "script", "custom script \"" + name + "\" started; GET /api/scripts shows its output and exit status");
    }

    private void updateConfig(Context ctx) {
        JsonObject body = jsonBody(ctx);
        for (String key : body.keySet()) {
            if (!key.equalsIgnoreCase(BATCH_SIZE_KEY)) {
                throw HttpError.badRequest("unknown field " + key + "; the only updatable setting is " + BATCH_SIZE_KEY);
            }
        }
        control.setBatchSize(batchSize(body));
        json(ctx, 200, configJson());
    }

    // ---- helpers ----

    private StatusJson statusJson(RunStatus status) {
        return StatusJson.of(status, version, control.updatableConfig().dataIterationBatchSize());
    }

    /** Ghostferry's status carries {@code CustomScriptStatuses} when scripts are configured. */
    private Object withScripts(StatusJson status) {
        if (scripts.isEmpty()) {
            return status;
        }
        JsonObject tree = gson.toJsonTree(status).getAsJsonObject();
        tree.add("CustomScriptStatuses", gson.toJsonTree(scripts.statuses()));
        return tree;
    }

    @Override
    public void close() {
        scripts.close();
    }

    private UpdatableConfigJson configJson() {
        return new UpdatableConfigJson(control.updatableConfig().dataIterationBatchSize());
    }

    private static Duration maxWriterStateAge(String value) {
        if (value == null) {
            return null;
        }
        try {
            long ms = Long.parseLong(value.trim());
            if (ms > 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HttpError.badRequest(HEALTH_AGE_PARAM + " = " + value + ": must be a positive number of milliseconds");
    }

    private static ThrottleScope scope(Context ctx) {
        String type = param(ctx, "type");
        return switch (type == null ? "" : type) {
            case "migration" -> ThrottleScope.MIGRATION;
            case "replication" -> ThrottleScope.REPLICATION;
            default -> throw HttpError.badRequest("type = " + type + ": must be migration or replication");
        };
    }

    private static int batchSize(JsonObject body) {
        JsonElement value = body.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(BATCH_SIZE_KEY))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> HttpError.badRequest(BATCH_SIZE_KEY + " is required, e.g. {\"" + BATCH_SIZE_KEY + "\": 500}"));
        try {
            if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
                return new BigDecimal(value.getAsString()).intValueExact();
            }
        } catch (ArithmeticException e) {
            // reported below
        }
        throw HttpError.badRequest(BATCH_SIZE_KEY + " = " + value + ": must be a whole number");
    }

    /** A parameter from the query string, a form, or a JSON object body, in that order. */
    private static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null && isForm(ctx)) {
            value = ctx.formParam(name);
        }
        if (value == null && isJson(ctx) && !ctx.body().isBlank()) {
            JsonElement v = jsonBody(ctx).get(name);
            value = v == null || !v.isJsonPrimitive() ? null : v.getAsString();
        }
        return value;
    }

    private static JsonObject jsonBody(Context ctx) {
        try {
            JsonElement body = JsonParser.parseString(ctx.body());
            if (body.isJsonObject()) {
                return body.getAsJsonObject();
            }
        } catch (JsonParseException e) {
            // reported below
        }
        throw HttpError.badRequest("the request body must be a JSON object");
    }

    private static boolean isForm(Context ctx) {
        String type = header(ctx, "Content-Type").toLowerCase(Locale.ROOT);
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
    }

    private static boolean isJson(Context ctx) {
        return header(ctx, "Content-Type").toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private static String header(Context ctx, String name) {
        String value = ctx.header(name);
        return value == null ? "" : value;
    }

    /** Form posts go back to the page; API clients get JSON. */
    private void done(Context ctx, int status, String action, String message) {
        LOG.info("control server: {}", message);
        if (isForm(ctx)) {
            ctx.redirect("/", HttpStatus.SEE_OTHER);
        } else {
            json(ctx, status, new ActionJson(action, message));
        }
    }

    private void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(gson.toJson(body));
    }

    private void error(Context ctx, int status, String message) {
        json(ctx, status, new ErrorJson(status, message));
    }

    private void unexpected(Exception e, Context ctx) {
        LOG.warn("control server: {} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, "internal error: " + e.getMessage());
    }

    static byte[] resource(String name) {
        try (InputStream in = Routes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the ferry-server jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
