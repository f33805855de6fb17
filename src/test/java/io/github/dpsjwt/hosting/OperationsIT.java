package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.TestFleet;

/**
 * What an operator reads, from the packaged application as it runs in production: JSON log lines whose decision
 * fields the Azure Monitor workbook queries, and Prometheus metrics whose names and labels the Grafana dashboard
 * queries. Each query of {@code deploy/} is checked against what the webhook really emits.
 */
class OperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? \\S+$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** A selector in PromQL: a metric name, then optionally its label matchers. */
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-z_:][a-z0-9_:]*_(?:total|bucket|count|sum|seconds|bytes|ready|devices"
            + "|credentials|capacity|usage))\\b(\\{[^}]*})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern BY = Pattern.compile("\\bby \\(([^)]*)\\)");

    private static PackagedApp app;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        app = PackagedApp.start(Map.of("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic())));
        app.awaitReady(CLIENT);
        token = Jwts.device("ES256", "ops-1").sign(TestFleet.EC.getPrivate());
        assertEquals(200, post("ops-1", token, "00-" + TRACE_ID + "-b7ad6b7169203331-01").statusCode());
        assertEquals(403, post("ops-2", Jwts.device("ES256", "ops-2").sign(Keys.ec().getPrivate()), null).statusCode());
        assertEquals(415, CLIENT.send(HttpRequest.newBuilder(URI.create(app.url("/api/validatejwt")))
                .POST(HttpRequest.BodyPublishers.ofString("x")).header("Content-Type", "text/plain").build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<String> post(String id, String jwt, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url("/api/validatejwt")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(DpsRequests.individual(id, jwt))));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The application's log lines, once the decision lines of the requests above are written. */
    private static List<JsonNode> logLines() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : app.output().split("\n")) {
                if (line.isBlank() || line.startsWith("WARNING: ")) {
                    // the JVM's own warnings (JDK 25 on restricted methods) go to stderr before logging starts
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                assertTrue(node.isObject(), "every log line is a JSON object: " + line);
                lines.add(node);
            }
            long decisions = lines.stream().filter(l -> "io.github.dpsjwt.decision".equals(l.path("loggerName").asText())).count();
            if (decisions >= 3 || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void shouldWriteJsonLinesWithTheDecisionFieldsAndNoToken() throws Exception {
        List<JsonNode> lines = logLines();
        JsonNode allocated = lines.stream().filter(l -> "ops-1".equals(l.path("mdc").path("registrationId").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no decision line for ops-1 in " + lines));
        JsonNode mdc = allocated.get("mdc");
        assertEquals("allocated", mdc.get("outcome").asText());
        assertEquals("ES256", mdc.get("alg").asText());
        assertEquals("0", mdc.get("credential").asText());
        assertTrue(DpsRequests.HUBS.contains(mdc.get("hub").asText()));
        assertTrue(mdc.get("latencyMs").asText().matches("\\d+\\.\\d{3}"));
        assertEquals(TRACE_ID, mdc.get("traceId").asText());
        assertEquals("b7ad6b7169203331", mdc.get("parentId").asText());
        JsonNode refused = lines.stream().filter(l -> "ops-2".equals(l.path("mdc").path("registrationId").asText()))
                .findFirst().orElseThrow().get("mdc");
        assertEquals("refused", refused.get("outcome").asText());
        assertEquals("token_signature_invalid", refused.get("reason").asText());
        assertEquals("403", refused.get("status").asText());
        String output = app.output();
        assertFalse(output.contains(token.substring(token.lastIndexOf('.') + 1)), "never a token");
    }

    @Test
    void shouldEmitEveryFieldAndLoggerTheWorkbookQueries() throws Exception {
        JsonNode workbook = JSON.readTree(Path.of("deploy/azure-monitor/workbook.json").toFile());
        List<String> queries = new ArrayList<>();
        workbook.get("items").forEach(item -> {
            if (item.path("content").has("query")) {
                queries.add(item.get("content").get("query").asText());
            }
        });
        assertTrue(queries.size() >= 5, "the workbook's queries");
        List<JsonNode> lines = logLines();
        Set<String> fields = new HashSet<>();
        Set<String> loggers = new HashSet<>();
        for (JsonNode line : lines) {
            line.fieldNames().forEachRemaining(f -> fields.add("d." + f));
            line.path("mdc").fieldNames().forEachRemaining(f -> fields.add("d.mdc." + f));
            loggers.add(line.path("loggerName").asText());
        }
        Set<String> outcomes = Set.of("allocated", "refused", "rejected", "aborted", "error");
        for (String query : queries) {
            Matcher field = Pattern.compile("\\bd\\.(?:mdc\\.)?[A-Za-z]+").matcher(query);
            while (field.find()) {
                assertTrue(fields.contains(field.group()), field.group() + " is not in the webhook's JSON lines: " + fields);
            }
            Matcher logger = Pattern.compile("loggerName\\) == \"([^\"]+)\"").matcher(query);
            while (logger.find()) {
                assertTrue(loggers.contains(logger.group(1)), "no log line from " + logger.group(1) + ": " + loggers);
            }
            Matcher outcome = Pattern.compile("outcome\\) (?:==|in) \\(?([^|\\n]*)").matcher(query);
            while (outcome.find()) {
                Matcher literal = Pattern.compile("\"([^\"]+)\"").matcher(outcome.group(1));
                while (literal.find()) {
                    assertTrue(outcomes.contains(literal.group(1)), "no outcome " + literal.group(1));
                }
            }
        }
    }

    @Test
    void shouldEmitEveryMetricAndLabelTheDashboardQueries() throws Exception {
        String scrape = CLIENT.send(HttpRequest.newBuilder(URI.create(app.managementUrl("/q/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, List<Map<String, String>>> series = new HashMap<>();
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            Map<String, String> labels = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            series.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
        }
        JsonNode dashboard = JSON.readTree(Path.of("deploy/grafana/dps-jwt-allocator.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        dashboard.findValues("query").forEach(e -> expressions.add(e.asText()));
        assertTrue(expressions.size() >= 10, "the dashboard's queries");
        Set<String> checked = new HashSet<>();
        for (String expression : expressions) {
            Matcher selector = SELECTOR.matcher(expression);
            while (selector.find()) {
                String name = selector.group(1);
                List<Map<String, String>> found = series.get(name);
                assertTrue(found != null, name + " (in " + expression + ") is not in /q/metrics");
                checked.add(name);
                Set<String> labels = new HashSet<>();
                found.forEach(l -> labels.addAll(l.keySet()));
                if (selector.group(2) != null) {
                    Matcher matcher = MATCHER.matcher(selector.group(2));
                    while (matcher.find()) {
                        String label = matcher.group(1);
                        if (label.equals("job") || label.equals("instance")) {
                            continue; // added by Prometheus when it scrapes
                        }
                        assertTrue(labels.contains(label), name + " has no label " + label);
                        if (matcher.group(2).equals("=")) {
                            String value = matcher.group(3);
                            assertTrue(found.stream().anyMatch(l -> value.equals(l.get(label))), name + " has no " + label + "=" + value);
                        } else if (matcher.group(2).equals("=~")) {
                            for (String value : matcher.group(3).split("\\|")) {
                                assertTrue(found.stream().anyMatch(l -> value.equals(l.get(label))), name + " has no " + label + "=" + value);
                            }
                        }
                    }
                }
            }
            Matcher by = BY.matcher(expression);
            while (by.find()) {
                for (String label : by.group(1).split(",")) {
                    String name = label.trim();
                    if (List.of("le", "job", "instance").contains(name)) {
                        continue;
                    }
                    boolean any = series.entrySet().stream().filter(e -> expression.contains(e.getKey()))
                            .anyMatch(e -> e.getValue().stream().anyMatch(l -> l.containsKey(name)));
                    assertTrue(any, "no series in " + expression + " has the label " + name);
                }
            }
        }
        assertTrue(checked.containsAll(List.of("allocator_decisions_total", "allocator_token_verification_seconds_bucket",
                "allocator_requests_seconds_bucket", "allocator_registry_version_age_seconds")), checked.toString());
    }
}
