package dev.aiusage.dashboard;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard page end to end in headless Chromium (Debian's chromium and chromedriver, driven by Selenium), on
 * the demo data: it loads with no request off the service's origin (and every other host unresolvable), its
 * charts and tiles show what the GraphQL API answers for the same window, a filter changes them, and a call
 * stored meanwhile appears in the live feed. Skipped where Chromium is not installed, unless
 * {@code AIUSAGE_BROWSER_TEST=required} (as {@code .ci/run} sets, after installing it). The page does not
 * depend on the engine, so it runs on the H2 pass only.
 */
@DisabledIfSystemProperty(named = "aiusage.test.engine", matches = "postgres")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /** A fresh, empty Chromium profile (static: JUnit sets a static {@code @TempDir} before {@code @BeforeAll}). */
    @TempDir
    static Path profile;
    EmbeddedServer server;
    HttpClient client;
    GraphQL graphql;
    ChromeDriver browser;

    @BeforeAll
    void start() {
        boolean installed = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!installed && "required".equals(System.getenv("AIUSAGE_BROWSER_TEST"))) {
            throw new IllegalStateException("Chromium and ChromeDriver are required: apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(installed, "Chromium is not installed (apt-get install chromium chromium-driver)");
        server = ApplicationContext.builder().environments("demo")
                .properties(Map.of("micronaut.server.port", -1, "aiusage.demo.records", 3000)).run(EmbeddedServer.class);
        client = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        graphql = new GraphQL(client);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1100",
                "--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private long loads() {
        Object loads = js("return Number(document.body.dataset.loads || 0)");
        return ((Number) loads).longValue();
    }

    /** Waits for the page to finish a load after {@code before} of them. */
    private void awaitLoadAfter(long before) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> loads() > before);
    }

    @SuppressWarnings("unchecked")
    private double chartTotal() {
        List<Object> sums = (List<Object>) js("return dashboardCharts.cost.getOption().series.map(s => s.data.reduce((a, b) => a + b, 0))");
        return sums.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
    }

    @SuppressWarnings("unchecked")
    private List<String> seriesNames() {
        return (List<String>) js("return dashboardCharts.cost.getOption().series.map(s => s.name)");
    }

    private Map<String, Object> total(Map<String, Object> filter) {
        return graphql.data("usage90", Map.of("filter", filter));
    }

    @Test
    void theDashboardDrawsTheDemoDataFiltersAndUpdatesLive() throws Exception {
        String origin = "http://localhost:" + server.getPort();
        browser.get(origin + "/");
        assertEquals(origin + "/dashboard", browser.getCurrentUrl(), "the service's address leads to the dashboard");
        awaitLoadAfter(0);
        long loaded = loads();
        new Select(browser.findElement(By.id("days"))).selectByValue("90");
        awaitLoadAfter(loaded);

        // every request the page made went to the service itself (its chart library included)
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertTrue(requested.stream().anyMatch(u -> u.endsWith("/webjars/echarts/5.3.1/dist/echarts.min.js")), requested::toString);
        assertTrue(requested.stream().allMatch(u -> u.startsWith(origin + "/")), () -> "requests off the origin: " + requested);
        assertTrue(browser.findElement(By.id("error")).getAttribute("hidden") != null, () -> browser.findElement(By.id("error")).getText());
        assertTrue(browser.findElement(By.id("demo")).isDisplayed(), "marked as demo data");

        // all 3,000 demo calls lie in the last 45 days: the 90-day chart holds every one, as the API says
        Map<String, Object> all = total(Map.of());
        double cost = Json.number(all, "usage.total.cost");
        long teams = Json.list(all, "teams.rows").size();
        assertEquals(3000, Json.whole(all, "usage.total.requests"));
        assertEquals("3,000", browser.findElement(By.id("tileCalls")).getText());
        assertEquals(cost, chartTotal(), 0.005 * 45 * seriesNames().size(), "the stacked bars add up to the window's spend");
        assertEquals(Math.min(teams, 8) + (teams > 8 ? 1 : 0), seriesNames().size(), () -> "one stack per team: " + seriesNames());
        assertFalse(browser.findElements(By.cssSelector("#savings tr")).isEmpty(), "savings opportunities listed");
        Number workflowBars = (Number) js("return dashboardCharts.workflows.getOption().series[0].data.length");
        assertTrue(workflowBars.intValue() > 0);
        Number adoptionSlices = (Number) js("return dashboardCharts.adoption.getOption().series[0].data.length");
        assertTrue(adoptionSlices.intValue() > 0, "adoption of the demo directory");

        // one team: one stack, and that team's figures
        Select team = new Select(browser.findElement(By.id("team")));
        String chosen = team.getOptions().get(1).getAttribute("value");
        loaded = loads();
        team.selectByValue(chosen);
        awaitLoadAfter(loaded);
        Map<String, Object> one = total(Map.of("teams", List.of(chosen)));
        assertEquals(List.of(chosen), seriesNames());
        assertEquals(Json.number(one, "usage.total.cost"), chartTotal(), 0.005 * 45);
        assertEquals(String.format("%,d", Json.whole(one, "usage.total.requests")), browser.findElement(By.id("tileCalls")).getText());

        // a call of that team stored now shows in the live feed, through the subscription
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> "live".equals(b.findElement(By.id("live")).getText()));
        graphql.data("recordUsage", Map.of("input", Usage.of(null, chosen, "gpt-4o", "live-check", "chat", 1.25).map()));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.findElement(By.id("feed")).getText().contains("live-check"));
        assertTrue(browser.findElement(By.id("feed")).getText().contains(chosen + " · gpt-4o · live-check · $1.25"),
                () -> browser.findElement(By.id("feed")).getText());

        Path shot = Path.of("target", "dashboard.png");
        Files.createDirectories(shot.getParent());
        loaded = loads();
        new Select(browser.findElement(By.id("team"))).selectByValue("");
        awaitLoadAfter(loaded);
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
