# The API image for docker-compose.yml. Without Docker, ./run.sh does the same on the host.
# The web map's MapLibre GL JS comes from npm, installed in a Node stage (the .NET SDK image has no npm).
FROM node:22-bookworm-slim AS web
WORKDIR /web
COPY src/HabitatRegistry.Api/Features/Maps/web/package.json src/HabitatRegistry.Api/Features/Maps/web/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
COPY --from=web /web/node_modules src/HabitatRegistry.Api/Features/Maps/web/node_modules
RUN dotnet publish src/HabitatRegistry.Api -c Release -o /app -p:MapNpmCi=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY gis-samples /gis-samples
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
# Migrate explicitly, seed the samples (all five sets and the boundary, as run.sh does) only into empty registers, then serve.
CMD ["sh", "-c", "dotnet HabitatRegistry.Api.dll migrate && if [ \"${HABITAT_SAMPLES:-1}\" != 0 ]; then /gis-samples/load.sh /gis-samples dotnet HabitatRegistry.Api.dll; fi && exec dotnet HabitatRegistry.Api.dll"]
