# The API image for docker-compose.yml. Without Docker, ./run.sh does the same on the host.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/HabitatRegistry.Api -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY gis-samples /gis-samples
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
# Migrate explicitly, seed the samples only into empty registers, then serve.
CMD ["sh", "-c", "dotnet HabitatRegistry.Api.dll migrate && if [ \"${HABITAT_SAMPLES:-1}\" != 0 ]; then dotnet HabitatRegistry.Api.dll import designations /gis-samples/tokorozawa-designations.geojson --by gis-samples --if-empty && dotnet HabitatRegistry.Api.dll import acquisitions /gis-samples/tokorozawa-acquisitions.geojson --by gis-samples --if-empty; fi && exec dotnet HabitatRegistry.Api.dll"]
