using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

public sealed class AsteriskConfTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-conf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfFile Load(string text, Findings findings)
    {
        var path = Path.Combine(_dir, "test.conf");
        File.WriteAllText(path, text);
        return ConfFile.Load(path, findings);
    }

    [Fact]
    public void Sections_inherit_template_entries_and_own_lines_override_them()
    {
        var findings = new Findings();
        var file = Load("""
            [base](!)
            type = endpoint
            context = from-agency ; trailing comment
            [child](!,base)
            dtmf_mode = rfc4733
            [fire-1](child)
            context = from-pstn
            """, findings);

        var endpoint = file.Named("fire-1").Single();
        Assert.Empty(findings.Items);
        Assert.False(endpoint.IsTemplate);
        Assert.Equal("endpoint", endpoint.Value("type"));
        Assert.Equal("rfc4733", endpoint.Value("dtmf_mode"));
        Assert.Equal("from-pstn", endpoint.Value("context"));
        Assert.Equal(7, endpoint.Last("context")!.Line);
    }

    [Fact]
    public void An_escaped_semicolon_is_part_of_the_value()
    {
        var file = Load("[u]\nsecret = a\\;b ; comment\n", new Findings());

        Assert.Equal("a;b", file.Named("u").Single().Value("secret"));
    }

    [Fact]
    public void Syntax_errors_are_findings_with_their_line()
    {
        var findings = new Findings();
        Load("orphan = 1\n[ok]\njust words\n[broken](missing\n", findings);

        Assert.Contains(findings.Items, f => f.Line == 1 && f.Message.Contains("outside of any [section]", StringComparison.Ordinal));
        Assert.Contains(findings.Items, f => f.Line == 3 && f.Message.Contains("expected 'key = value'", StringComparison.Ordinal));
        Assert.Contains(findings.Items, f => f.Line == 4 && f.Message.Contains("unexpected text after section header", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_template_is_reported_on_the_section()
    {
        var findings = new Findings();
        Load("[a](nosuch)\ntype = aor\n", findings);

        Assert.Contains(findings.Items, f => f.Line == 1 && f.Message == "[a] inherits from [nosuch], which is not defined before it");
    }

    [Fact]
    public void Includes_are_read_relative_to_the_including_file()
    {
        File.WriteAllText(Path.Combine(_dir, "trunks.conf"), "[police-1]\ntype = endpoint\n");
        var file = Load("#include trunks.conf\n[pstn]\ntype = endpoint\n", new Findings());

        Assert.Equal(["police-1", "pstn"], file.Sections.Select(s => s.Name));
    }

    [Fact]
    public void Dialplan_steps_carry_extension_label_application_and_arguments()
    {
        var findings = new Findings();
        var dialplan = Dialplan.Parse(Load("""
            [from-pstn]
            exten => 112,1,Stasis(routing112,112)
             same => n(fallback),Gosub(sub-fallback,s,1(operator))
            exten => _X.,1,Hangup(21)
            """, findings), findings);

        Assert.Empty(findings.Items);
        var steps = dialplan.ExtensionFor("from-pstn", "112");
        Assert.Equal(["Stasis", "Gosub"], steps.Select(s => s.App));
        Assert.Equal(["routing112", "112"], steps[0].Args);
        Assert.Equal("fallback", steps[1].Label);
        Assert.Equal(["sub-fallback", "s", "1(operator)"], steps[1].Args);
        Assert.Equal("_X.", dialplan.ExtensionFor("from-pstn", "101").Single().Extension);
    }

    [Theory]
    [InlineData("_X.", "112", true)]
    [InlineData("_X.", "1", false)]
    [InlineData("_X!", "1", true)]
    [InlineData("_[*#+]!", "*", true)]
    [InlineData("_[*#+]!", "+7", true)]
    [InlineData("_[a-zA-Z].", "help", true)]
    [InlineData("_[a-zA-Z].", "h", false)]
    [InlineData("_[b-dfgj-npqru-zA-SU-Z]", "b", true)]
    [InlineData("_[b-dfgj-npqru-zA-SU-Z]", "h", false)]
    [InlineData("_[b-dfgj-npqru-zA-SU-Z]", "T", false)]
    [InlineData("_10[1-4]", "103", true)]
    [InlineData("_10[1-4]", "105", false)]
    [InlineData("_NXX", "112", false)]
    [InlineData("_ZXX", "112", true)]
    [InlineData("_+X.", "+77271234567", true)]
    [InlineData("112", "112", true)]
    [InlineData("112", "1120", false)]
    public void Extension_patterns_match_as_asterisk_matches_them(string pattern, string number, bool matches)
    {
        Assert.Equal(matches, ExtensionPattern.Matches(pattern, number));
    }
}
