package dev.otpgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * README.md is the landing page and docs/ holds the rest, one page per concern (issue 12). This keeps them in
 * step: the README stays small, links every page of docs/, every relative link of the README and of docs/*.md
 * reaches an existing file (and, with a #anchor, an existing heading of it, by GitHub's anchor rule), and the
 * README's test command is the one CI runs (.ci/run).
 */
class DocsTest {

    static final Path README = Path.of("README.md");
    static final Path DOCS = Path.of("docs");
    static final Path CI = Path.of(".ci", "run");
    static final long README_MAX_BYTES = 10_240;

    /** An inline link or image, [text](target "title"): group 1 is the target. */
    static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** A reference definition, [label]: target. */
    static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+\"[^\"]*\")?\\s*$");
    static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @Test
    void theReadmeIsALandingPageOfAtMostTenKilobytes() throws IOException {
        long size = Files.size(README);
        assertTrue(size <= README_MAX_BYTES, "README.md is " + size + " bytes, the cap is " + README_MAX_BYTES
                + ": move the detail to a page of docs/ and link it");
    }

    @Test
    void everyPageOfDocsIsLinkedFromTheReadme() throws IOException {
        Set<Path> linked = new TreeSet<>();
        for (Link link : links(README)) {
            if (link.file() != null) {
                linked.add(link.file());
            }
        }
        Set<Path> unlinked = new TreeSet<>();
        for (Path page : docsFiles()) {
            if (!linked.contains(page.normalize())) {
                unlinked.add(page);
            }
        }
        assertTrue(!docsFiles().isEmpty(), "docs/ has pages");
        assertEquals(Set.of(), unlinked, "pages of docs/ the README's table does not link");
    }

    @Test
    void everyRelativeLinkReachesAnExistingFileAndHeading() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(README);
        docsFiles().stream().filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (Link link : links(page)) {
                if (link.file() == null) {
                    continue; // an absolute URL or a mailto:
                }
                checked++;
                if (!Files.exists(link.file())) {
                    broken.add(link + ": no file " + link.file());
                    continue;
                }
                if (link.anchor() != null && link.file().toString().endsWith(".md")) {
                    Set<String> known = anchors.computeIfAbsent(link.file(), DocsTest::anchorsOf);
                    if (!known.contains(link.anchor())) {
                        broken.add(link + ": no heading #" + link.anchor() + " in " + link.file() + " (has " + known + ")");
                    }
                }
            }
        }
        assertTrue(checked > 0, "relative links found");
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void theReadmesTestCommandIsTheOneCiRuns() throws IOException {
        List<String> readme = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(README)) {
            if (isFence(line)) {
                fenced = !fenced;
            } else if (fenced && line.strip().startsWith("./mvnw verify")) {
                readme.add(withoutComment(line));
            }
        }
        List<String> ci = Files.readAllLines(CI).stream()
                .map(String::strip)
                .filter(l -> l.startsWith("./mvnw"))
                .map(DocsTest::withoutComment)
                .toList();
        assertEquals(1, ci.size(), ".ci/run runs one Maven command: " + ci);
        assertEquals(1, readme.size(), "the README has one fenced line starting with ./mvnw verify: " + readme);
        assertEquals(ci.get(0), readme.get(0), "the README's test command is exactly what .ci/run runs");
    }

    /** GitHub's anchor rule, as the anchor tests below pin it. */
    @Test
    void anchorsFollowGitHubsRule() {
        assertEquals("where-a-request-comes-from", slug("Where a request comes from"));
        assertEquals("callers-and-users-operators-tool", slug("Callers and users (operators' tool)"));
        assertEquals("scaling-1000-and-10000-generates-per-second", slug("Scaling: 1,000 and 10,000 generates per second"));
        assertEquals("the-package-through-the-lambda-runtime-api-benchpackagebenchjava",
                slug("The package through the Lambda Runtime API (`bench/PackageBench.java`)"));
        assertEquals("see-docs_page-here", slug("See [docs_page](x.md) here"));
    }

    // ---- parsing

    record Link(Path from, int line, String target, Path file, String anchor) {
        @Override
        public String toString() {
            return from + ":" + line + " (" + target + ")";
        }
    }

    /** The links of a page outside fenced code blocks and code spans, resolved against the page's folder. */
    static List<Link> links(Path page) throws IOException {
        List<Link> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(page);
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isFence(line)) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            List<int[]> spans = new ArrayList<>();
            Matcher code = CODE_SPAN.matcher(line);
            while (code.find()) {
                spans.add(new int[] { code.start(), code.end() });
            }
            List<String> targets = new ArrayList<>();
            Matcher m = INLINE_LINK.matcher(line);
            while (m.find()) {
                int at = m.start();
                if (spans.stream().noneMatch(s -> at >= s[0] && at < s[1])) {
                    targets.add(m.group(1));
                }
            }
            Matcher ref = REFERENCE.matcher(line);
            if (ref.matches()) {
                targets.add(ref.group(1));
            }
            for (String target : targets) {
                out.add(link(page, i + 1, target));
            }
        }
        return out;
    }

    static Link link(Path page, int line, String target) {
        if (SCHEME.matcher(target).find()) {
            return new Link(page, line, target, null, null);
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path dir = page.toAbsolutePath().getParent();
        Path file = path.isEmpty() ? page : Path.of("").toAbsolutePath().relativize(dir.resolve(path).normalize());
        return new Link(page, line, target, file.normalize(), anchor);
    }

    /** Every anchor GitHub makes for the headings of a Markdown file, duplicates numbered -1, -2, ... */
    static Set<String> anchorsOf(Path file) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String line : lines) {
            if (isFence(line)) {
                fenced = !fenced;
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (fenced || !h.matches()) {
                continue;
            }
            String slug = slug(h.group(1));
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            out.add(n == 0 ? slug : slug + "-" + n);
        }
        return out;
    }

    /** GitHub's rule: the heading's text (links as their text), lower case, punctuation but '-' and '_' dropped, spaces to '-'. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                .replace(' ', '-');
    }

    static boolean isFence(String line) {
        String s = line.strip();
        return s.startsWith("```") || s.startsWith("~~~");
    }

    static String withoutComment(String command) {
        int hash = command.indexOf(" #");
        return (hash < 0 ? command : command.substring(0, hash)).strip();
    }

    static List<Path> docsFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DOCS)) {
            return files.filter(Files::isRegularFile).map(Path::normalize).sorted().toList();
        }
    }
}
