namespace HabitatRegistry.Http;

/// <summary>
/// Refuses a query string that holds control characters (NUL above all, which PostgreSQL cannot store in text):
/// no parameter of the service takes them, and a value that holds one is a mistake or an attack, never data.
/// </summary>
internal static class QueryHygiene
{
    public static void UseQueryHygiene(this WebApplication app) => app.Use((context, next) =>
    {
        foreach (var (name, values) in context.Request.Query)
        {
            if (!HasControl(name) && !values.Any(HasControl)) continue;
            var parameter = HasControl(name) ? "(a parameter's name)" : name;
            return Problems.BadParameter(parameter,
                    $"The query parameter {parameter} holds a control character (such as %00), which no parameter takes. Send the text without it.")
                .ExecuteAsync(context);
        }
        return next(context);
    });

    /// <summary>C0 control characters and DEL, except tab and line breaks.</summary>
    public static bool HasControl(string? text) => text is not null && text.Any(c => c is < ' ' and not ('\t' or '\n' or '\r') or '\u007f');
}
