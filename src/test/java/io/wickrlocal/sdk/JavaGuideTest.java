package io.wickrlocal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.SuspendDrill;
import io.wickrlocal.WickrLocal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * docs/java.md shows exactly the code that runs: each of its Java blocks is one whole file of
 * src/test/java/com/example (those files are tests or are run by one: OffboardingTest runs as a test
 * class of its own, SuspendDrill is run here), the output it shows is what SuspendDrill prints, and
 * its Maven snippet names the versions this build uses.
 */
class JavaGuideTest {
    private static final Path GUIDE = Path.of("docs", "java.md");
    private static final Path EXAMPLES = Path.of("src", "test", "java", "com", "example");

    private static List<String> blocks(String lang) throws Exception {
        Matcher m = Pattern.compile("^```" + lang + "\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL)
                .matcher(Files.readString(GUIDE));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void eachJavaBlockIsOneWholeExampleFileAndEachFileIsShown() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            for (Path p : list.filter(p -> p.toString().endsWith(".java")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        Map<String, String> shown = new TreeMap<>();
        for (String block : blocks("java")) {
            Matcher type = Pattern.compile("^(?:public )?(?:final )?class (\\w+)", Pattern.MULTILINE).matcher(block);
            assertThat(type.find()).as("a Java block of docs/java.md declares no class:\n%s", block).isTrue();
            assertThat(shown.put(type.group(1) + ".java", block)).as("%s is shown twice", type.group(1)).isNull();
        }
        assertThat(shown).isEqualTo(files);
    }

    @Test
    void theDrillPrintsWhatTheGuideShows() throws Exception {
        List<String> outputs = blocks("text");
        assertThat(outputs).hasSize(1);
        // Ids differ from run to run: any digits stand for the ones shown.
        StringBuilder expected = new StringBuilder();
        Matcher digits = Pattern.compile("\\d+").matcher(outputs.get(0));
        int at = 0;
        while (digits.find()) {
            expected.append(Pattern.quote(outputs.get(0).substring(at, digits.start()))).append("\\d+");
            at = digits.end();
        }
        expected.append(Pattern.quote(outputs.get(0).substring(at)));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        try (WickrLocal wickr = WickrLocal.start()) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            SuspendDrill.main(new String[] {wickr.endpoint().toString()});
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"))
                .matches(expected.toString());
    }

    @Test
    void theMavenSnippetNamesTheVersionsOfThisBuild() throws Exception {
        List<String> xml = blocks("xml");
        assertThat(xml).hasSize(1);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        Document snippet = factory.newDocumentBuilder()
                .parse(new InputSource(new StringReader("<project>" + xml.get(0) + "</project>")));
        Map<String, String> versions = new TreeMap<>();
        NodeList dependencies = snippet.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            versions.put(text(d, "groupId") + ":" + text(d, "artifactId"), text(d, "version"));
        }

        Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        String ours = child(project, "groupId") + ":" + child(project, "artifactId");
        assertThat(versions).isEqualTo(Map.of(
                "software.amazon.awssdk:bom", text(project, "awssdk.version"),
                "software.amazon.awssdk:wickr", "",
                "software.amazon.awssdk:apache5-client", "",
                ours, child(project, "version"),
                "org.junit.jupiter:junit-jupiter", text(project, "junit.version")));
    }

    /** The text of the first element of that name under e, or "" when there is none. */
    private static String text(Element e, String name) {
        NodeList found = e.getElementsByTagName(name);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
    }

    /** The text of e's direct child of that name (the project's own coordinates, not a parent's). */
    private static String child(Element e, String name) {
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().strip();
            }
        }
        return "";
    }
}
