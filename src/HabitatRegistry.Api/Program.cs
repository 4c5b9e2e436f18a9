using HabitatRegistry.Cli;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Activities;
using HabitatRegistry.Features.Imports;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Features.Reports;
using HabitatRegistry.Features.Targets;
using HabitatRegistry.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddHabitatDatabase();
builder.Services.AddProblemResponses();
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Encoder = Json.Encoder);
builder.Services.AddSingleton<RecordImporter>();
builder.Services.AddSingleton<AreaCalculator>();
builder.Services.AddSingleton<RegisterExtents>();
builder.Services.AddScoped<TargetReportBuilder>();
builder.Services.AddSingleton<PatchGraphBuilder>();
builder.Services.AddScoped<NetworkAnalysis>();
builder.Services.AddSingleton<NetworkCache>();
builder.AddApiDocumentation();

var app = builder.Build();
if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(app, args);

app.UseProblemResponses();
app.UseStatusCodePages();
app.UseApiDocumentation();

app.MapOgcApi();
app.MapImports();
app.MapActivities();
app.MapAreaReports();
app.MapParcelHistory();
app.MapTargets();
app.MapTargetReports();
app.MapPdca();
app.MapNetworkProfiles();
app.MapNetwork();
app.MapNetworkScenarios();

await app.RunAsync();
return 0;

/// <summary>The web application (for WebApplicationFactory in tests).</summary>
public partial class Program;
