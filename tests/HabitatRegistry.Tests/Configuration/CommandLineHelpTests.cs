using System.Text.RegularExpressions;
using HabitatRegistry.Cli;
using HabitatRegistry.Features.Registers;
using Microsoft.Extensions.DependencyInjection;

namespace HabitatRegistry.Tests.Configuration;

/// <summary>The command line's help, which needs no database.</summary>
public class CommandLineHelpTests
{
    [Fact]
    public async Task HelpNamesEveryRegisterAnImportCanGoIntoAndDescribesEveryCommand()
    {
        var output = new StringWriter();

        Assert.Equal(0, await CommandLine.RunAsync(new ServiceCollection().BuildServiceProvider(), ["help"], output));

        var help = output.ToString();
        var import = Regex.Match(help, @"^\s+import REGISTER FILE.*\n.*$", RegexOptions.Multiline).Value;
        Assert.All(RegisterCatalogue.All, register => Assert.Contains(register.Name, import, StringComparison.Ordinal));
        // Each command has a line of its own that starts with its name.
        Assert.All(CommandLine.Commands, command => Assert.Matches(new Regex($@"^ +{Regex.Escape(command)}( |$)", RegexOptions.Multiline), help));
    }
}
