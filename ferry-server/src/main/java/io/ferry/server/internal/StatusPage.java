package io.ferry.server.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The page at {@code /} and its files under {@code /static/}: ferry's built-in page, or an operator's own from
 * {@code WebBasedir} (Ghostferry's option; its {@code webui/} layout is found too). A custom page is read from disk
 * on every request, so it can be edited while a run goes on; it gets its data from {@code /api/status} like the
 * built-in one.
 */
final class StatusPage {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "json", "application/json", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

    private final byte[] builtIn;
    /** The custom page's directory, or {@code null} for the built-in page. */
    private final Path dir;

    private StatusPage(byte[] builtIn, Path dir) {
        this.builtIn = builtIn;
        this.dir = dir;
    }

    static StatusPage builtIn(byte[] html) {
        return new StatusPage(html, null);
    }

    /** The page in {@code webBasedir}: its {@code index.html}, or Ghostferry's {@code webui/index.html}. */
    static StatusPage from(Path webBasedir) {
        return new StatusPage(null, directoryOf(webBasedir));
    }

    /** Where the page of {@code webBasedir} is: the directory itself or its {@code webui/} (Ghostferry's layout). */
    static Path directoryOf(Path webBasedir) {
        Path webui = webBasedir.resolve("webui");
        return Files.isRegularFile(webui.resolve("index.html")) && !Files.isRegularFile(webBasedir.resolve("index.html"))
                ? webui : webBasedir;
    }

    void index(Context ctx) throws IOException {
        if (dir == null) {
            ctx.contentType(TYPES.get("html")).result(builtIn);
            return;
        }
        Path index = dir.resolve("index.html");
        if (!Files.isRegularFile(index)) {
            throw new HttpError(500, "the custom status page " + index + " is gone; restore it, or remove"
                    + " ControlServerConfig.WebBasedir for the built-in page");
        }
        ctx.contentType(TYPES.get("html")).result(Files.readAllBytes(index));
    }

    void file(Context ctx) throws IOException {
        if (dir == null) {
            throw new HttpError(404, "no such file: the built-in status page has no static files");
        }
        Path root = dir.resolve("static").toAbsolutePath().normalize();
        Path file = root.resolve(ctx.pathParam("path")).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            throw new HttpError(404, "no such file under " + root);
        }
        String name = file.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream")).result(Files.readAllBytes(file));
    }
}
