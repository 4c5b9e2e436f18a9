// The web map at /map: the registers' vector tiles as they stood at the end of a fiscal year, the habitat network of
// one species group, the targets' progress that year, and a table of the land in force (the map's text alternative).
// Everything comes from the service itself: MapLibre GL JS (copied from npm by the build), the tiles, the reports.
import * as maplibregl from './maplibre-gl.mjs';
import { strings } from './strings.js';

const root = document.body.dataset.root;
const lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
const t = strings[lang];
const REGISTERS = ['designations', 'acquisitions'];

// Colours: designations by scheme (qualitative), acquisitions by acquiring body. Trust land is not public ownership,
// so it is not filled like public land but hatched, with a dashed outline.
const SCHEME_COLOURS = {
  special_green_conservation_district: '#1b9e77',
  green_conservation_area: '#66a61e',
  suburban_green_conservation_zone: '#7570b3',
  citizen_green_space: '#e6ab02',
  preserved_woodland: '#a6761d',
  prefectural_landscape_green: '#d95f02',
  satoyama_conservation_area: '#e7298a',
  nature_symbiosis_site: '#1f78b4',
  other: '#8c8c8c',
};
const BODY_COLOURS = { city: '#08519c', prefecture: '#54278f', national: '#a50f15', trust: '#b35806' };
// dPC is a percentage of the network's connectivity; a few patches hold most of it, so the scale is steep at the start.
const DPC_STOPS = [[0, '#f7fcf5'], [0.5, '#c7e9c0'], [2, '#74c476'], [8, '#31a354'], [20, '#006d2c'], [40, '#00441b']];

const fiscalYearOf = (isoDate) => { const [y, m] = isoDate.split('-').map(Number); return m >= 4 ? y : y - 1; };
const endOf = (fy) => `${fy + 1}-03-31`;
const match = (property, colours, fallback) => ['match', ['get', property], ...Object.entries(colours).flat(), fallback];

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function element(tag, properties = {}, ...children) {
  const e = Object.assign(document.createElement(tag), properties);
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

function link(href, text) { return element('a', { href }, text); }

function fillTexts() {
  for (const e of document.querySelectorAll('[data-text]')) e.textContent = t[e.dataset.text];
  document.title = t.title;
  document.getElementById('map').setAttribute('aria-label', t.mapLabel);
  document.getElementById('other-language').textContent = t.otherLanguage;
}

// A tile URL template of the tileset with the as-of date added: the land in force on that day.
function withDate(template, date) {
  return `${template}${template.includes('?') ? '&' : '?'}datetime=${date}`;
}

// A 16 px square of diagonal stripes for trust land (MapLibre fill-pattern, made here: no sprite file to serve).
function hatch(colour) {
  const size = 16;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % 8 < 2;
      data.set(on ? [r, g, b, 230] : [255, 255, 255, 40], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

function extentUnion(collections, ids) {
  const boxes = collections.filter((c) => ids.includes(c.id)).map((c) => c.extent?.spatial?.bbox?.[0]).filter(Boolean);
  if (boxes.length === 0) return null;
  return [[Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))],
    [Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))]];
}

// The first fiscal year with anything in force: the earliest start of the registers' temporal extents.
function firstFiscalYear(collections, lastYear) {
  const starts = collections.filter((c) => REGISTERS.includes(c.id))
    .map((c) => c.extent?.temporal?.interval?.[0]?.[0]).filter(Boolean).map((d) => fiscalYearOf(d.slice(0, 10)));
  return starts.length ? Math.min(lastYear, ...starts) : lastYear;
}

function baseStyle() {
  const style = { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f3f1ea' } }] };
  if (document.body.dataset.gsiBaseMap === 'true') {
    style.sources.gsi = {
      type: 'raster',
      tiles: ['https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png'],
      tileSize: 256,
      minzoom: 2,
      maxzoom: 18,
      attribution: '<a href="https://maps.gsi.go.jp/development/ichiran.html">出典：国土地理院</a>',
    };
    style.layers.push({ id: 'gsi', type: 'raster', source: 'gsi' });
  }
  return style;
}

function addRegisterLayers(map, tilesets, end) {
  for (const id of REGISTERS) {
    const tileset = tilesets[id];
    map.addSource(id, {
      type: 'vector', tiles: [withDate(tileset.tiles[0], end)], minzoom: tileset.minzoom ?? 0, maxzoom: tileset.maxzoom ?? 16,
    });
  }
  const source = (id) => ({ source: id, 'source-layer': id });
  map.addLayer({ id: 'designations-fill', type: 'fill', ...source('designations'),
    paint: { 'fill-color': match('scheme', SCHEME_COLOURS, SCHEME_COLOURS.other), 'fill-opacity': 0.75 } });
  map.addLayer({ id: 'designations-line', type: 'line', ...source('designations'),
    paint: { 'line-color': '#1d2a22', 'line-width': 1 } });
  const publicLand = ['!=', ['get', 'acquired_by'], 'trust'];
  map.addLayer({ id: 'acquisitions-fill', type: 'fill', ...source('acquisitions'), filter: publicLand,
    paint: { 'fill-color': match('acquired_by', BODY_COLOURS, '#555'), 'fill-opacity': 0.3 } });
  map.addLayer({ id: 'acquisitions-line', type: 'line', ...source('acquisitions'), filter: publicLand,
    paint: { 'line-color': match('acquired_by', BODY_COLOURS, '#555'), 'line-width': 2.5 } });
  const trust = ['==', ['get', 'acquired_by'], 'trust'];
  map.addLayer({ id: 'acquisitions-trust-fill', type: 'fill', ...source('acquisitions'), filter: trust,
    paint: { 'fill-pattern': 'trust-hatch' } });
  map.addLayer({ id: 'acquisitions-trust-line', type: 'line', ...source('acquisitions'), filter: trust,
    paint: { 'line-color': BODY_COLOURS.trust, 'line-width': 2, 'line-dasharray': [2, 1.5] } });
}

async function networkTilesets(profile) {
  const [patches, links] = await Promise.all([`network-patches-${profile}`, `network-links-${profile}`]
    .map((id) => getJson(`${root}/collections/${id}/tiles/WebMercatorQuad`)));
  return { patches, links };
}

// Below the registers: the species group's patches by dPC and the links between them. The layers name the profile
// (one tile layer per collection), so another profile means new sources.
function setNetwork(map, profile, tilesets) {
  for (const id of ['network-links', 'network-patches-line', 'network-patches-fill']) if (map.getLayer(id)) map.removeLayer(id);
  for (const id of ['network-links', 'network-patches']) if (map.getSource(id)) map.removeSource(id);
  const before = map.getLayer('designations-fill') ? 'designations-fill' : undefined;
  const { patches, links } = tilesets;
  map.addSource('network-patches', { type: 'vector', tiles: patches.tiles, minzoom: patches.minzoom ?? 0, maxzoom: patches.maxzoom ?? 16 });
  map.addSource('network-links', { type: 'vector', tiles: links.tiles, minzoom: links.minzoom ?? 0, maxzoom: links.maxzoom ?? 16 });
  const visibility = document.getElementById('show-network').checked ? 'visible' : 'none';
  map.addLayer({ id: 'network-patches-fill', type: 'fill', source: 'network-patches', 'source-layer': `network-patches-${profile}`,
    layout: { visibility },
    paint: { 'fill-color': ['interpolate', ['linear'], ['to-number', ['get', 'dpc'], 0], ...DPC_STOPS.flat()], 'fill-opacity': 0.6 } }, before);
  map.addLayer({ id: 'network-patches-line', type: 'line', source: 'network-patches', 'source-layer': `network-patches-${profile}`,
    layout: { visibility }, paint: { 'line-color': '#2f5d3a', 'line-width': 0.6 } }, before);
  map.addLayer({ id: 'network-links', type: 'line', source: 'network-links', 'source-layer': `network-links-${profile}`,
    layout: { visibility, 'line-cap': 'round' },
    paint: { 'line-color': '#6f6659', 'line-opacity': 0.7,
      'line-width': ['interpolate', ['linear'], ['to-number', ['get', 'probability'], 0], 0, 0.5, 1, 4] } }, before);
}

function swatch(colour, hatched = false) {
  const s = element('span', { className: hatched ? 'swatch hatched' : 'swatch' });
  s.style.setProperty('--colour', colour);
  return s;
}

function renderLegend() {
  const legend = document.getElementById('legend');
  const list = (entries) => element('ul', {}, ...entries.map(([label, s]) => element('li', {}, s, ' ', label)));
  legend.replaceChildren(
    element('h2', {}, t.legend),
    element('h3', {}, t.designations),
    list(Object.entries(SCHEME_COLOURS).map(([code, colour]) => [t.schemes[code], swatch(colour)])),
    element('h3', {}, t.acquisitions),
    list(Object.entries(BODY_COLOURS).map(([code, colour]) => [t.bodies[code], swatch(colour, code === 'trust')])),
    element('p', { className: 'note' }, t.trustNote),
    element('h3', {}, t.network),
    element('p', { className: 'ramp' }, ...DPC_STOPS.map(([, colour]) => swatch(colour))),
    element('p', { className: 'note' }, t.dpcLegend),
    element('p', { className: 'note' }, t.linkLegend),
  );
}

function formatValue(key, value) {
  if (value === null || value === undefined || value === '') return '–';
  if (key === 'scheme') return t.schemes[value] ?? value;
  if (key === 'acquired_by') return t.bodies[value] ?? value;
  if (typeof value === 'number') return value.toLocaleString(lang, { maximumFractionDigits: 4 });
  return String(value);
}

const REGISTER_OF_LAYER = {
  'designations-fill': 'designations',
  'acquisitions-fill': 'acquisitions',
  'acquisitions-trust-fill': 'acquisitions',
  'network-patches-fill': 'habitat-patches',
};

// The parcel under a click, with its properties and the ways to its record: its history and its item page.
function popupFor(feature) {
  const register = REGISTER_OF_LAYER[feature.layer.id];
  const p = feature.properties;
  const id = String(p.id ?? feature.id);
  const rows = Object.entries(p).map(([key, value]) =>
    element('tr', {}, element('th', { scope: 'row' }, t.properties[key] ?? key), element('td', {}, formatValue(key, value))));
  const encoded = encodeURIComponent(id);
  return element('div', { className: 'parcel-popup' },
    element('h3', {}, `${t.registers[register]}: ${p.name ?? id}`),
    element('table', {}, element('tbody', {}, ...rows)),
    element('p', {},
      link(`${root}/registers/${register}/${encoded}/versions`, t.history), ' · ',
      link(`${root}/collections/${register}/items/${encoded}`, t.itemPage)));
}

async function allItems(register, date) {
  const features = [];
  let url = `${root}/collections/${register}/items?datetime=${date}&limit=1000`;
  while (url) {
    const page = await getJson(url);
    features.push(...page.features);
    url = page.links?.find((l) => l.rel === 'next')?.href ?? null;
  }
  return features;
}

async function renderParcels(fy) {
  const table = document.getElementById('parcels-table');
  const end = endOf(fy);
  let rows;
  try {
    rows = (await Promise.all(REGISTERS.map(async (register) => (await allItems(register, end)).map((f) => ({ register, f })))))
      .flat();
  } catch (e) {
    table.querySelector('caption').textContent = t.parcelsFailed;
    table.querySelector('tbody').replaceChildren();
    throw e;
  }
  table.querySelector('caption').textContent = t.parcelsCaption(fy, end, rows.length);
  table.querySelector('thead').replaceChildren(element('tr', {}, ...t.parcelHeadings.map((h) => element('th', { scope: 'col' }, h))));
  table.querySelector('tbody').replaceChildren(...rows.map(({ register, f }) => {
    const p = f.properties;
    const id = String(f.id);
    const encoded = encodeURIComponent(id);
    const kind = register === 'designations' ? formatValue('scheme', p.scheme) : formatValue('acquired_by', p.acquired_by);
    const since = register === 'designations' ? p.designated_on : p.acquired_on;
    const tr = element('tr', { className: register },
      element('td', {}, t.registers[register]),
      element('td', {}, link(`${root}/collections/${register}/items/${encoded}`, id)),
      element('td', {}, p.name ?? ''),
      element('td', {}, kind),
      element('td', {}, since ?? ''),
      element('td', { className: 'num' }, formatValue('area_ha', p.area_ha)),
      element('td', {}, link(`${root}/registers/${register}/${encoded}/versions`, t.history)));
    tr.dataset.id = id;
    return tr;
  }));
}

async function renderTargets(fy) {
  const note = document.getElementById('targets-note');
  const table = document.getElementById('targets-table');
  let report;
  try {
    report = await getJson(`${root}/reports/targets?fiscalYear=${fy}&lang=${lang}&format=json`);
  } catch (e) {
    note.textContent = t.targetsFailed;
    table.querySelector('tbody').replaceChildren();
    throw e;
  }
  note.textContent = report.targets.length ? t.targetsAsOf(fy, report.asOf) : t.noTargets(fy);
  table.hidden = report.targets.length === 0;
  table.querySelector('thead').replaceChildren(element('tr', {}, ...t.targetHeadings.map((h) => element('th', { scope: 'col' }, h))));
  const number = (v, unit) => `${v.toLocaleString(lang, { maximumFractionDigits: unit === 'ha' ? 2 : 0 })} ${t.units[unit] ?? unit}`.trim();
  table.querySelector('tbody').replaceChildren(...report.targets.map((target) => {
    const meter = element('meter', { min: 0, max: 100, value: Math.min(100, target.achievementRate ?? 0) });
    meter.setAttribute('aria-label', `${target.code} ${target.achievementRate ?? 0}%`);
    return element('tr', {},
      element('td', {}, element('span', { className: 'code' }, target.code), element('br'), element('small', {}, target.title)),
      element('td', { className: 'num' }, number(target.actual, target.unit)),
      element('td', { className: 'num' }, number(target.target, target.unit), element('br'), element('small', {}, lang === 'ja' ? `${target.targetFiscalYear}年度` : `FY${target.targetFiscalYear}`)),
      element('td', { className: 'num' }, meter, ` ${target.achievementRate ?? 0}%`),
      element('td', { className: `status ${target.status}` }, t.status[target.status] ?? target.status));
  }));
}

// Resolves once the given sources have loaded what was asked of them since now, and the map has drawn it. MapLibre's
// 'idle' event alone is not enough: it comes only with a frame, and a frame is not always drawn after the last tile.
function whenDrawn(map, sourceIds) {
  return new Promise((resolve) => {
    const waiting = new Set(sourceIds);
    let rendered = false;
    const onData = (e) => { if (e.isSourceLoaded && waiting.delete(e.sourceId)) map.triggerRepaint(); };
    const onRender = () => { rendered = true; };
    const check = () => {
      if (waiting.size > 0 || !rendered || !map.loaded() || map.isMoving()) return;
      map.off('sourcedata', onData);
      map.off('render', onRender);
      map.off('idle', check);
      clearInterval(timer);
      resolve();
    };
    map.on('sourcedata', onData);
    map.on('render', onRender);
    map.on('idle', check);
    const timer = setInterval(check, 100);
    map.triggerRepaint();
  });
}

async function main() {
  fillTexts();
  renderLegend();
  const lastYear = Number(document.body.dataset.lastFiscalYear);
  const [collections, profiles, designations, acquisitions] = await Promise.all([
    getJson(`${root}/collections`).then((c) => c.collections),
    getJson(`${root}/network/profiles`),
    getJson(`${root}/collections/designations/tiles/WebMercatorQuad`),
    getJson(`${root}/collections/acquisitions/tiles/WebMercatorQuad`),
  ]);
  const tilesets = { designations, acquisitions };

  const slider = document.getElementById('fiscal-year');
  const yearText = document.getElementById('fiscal-year-text');
  slider.min = String(firstFiscalYear(collections, lastYear));
  slider.max = String(lastYear);
  slider.value = String(lastYear);
  const showYear = () => {
    const fy = Number(slider.value);
    const text = t.yearText(fy, endOf(fy));
    slider.setAttribute('aria-valuetext', text);
    yearText.textContent = text;
    return fy;
  };
  let fy = showYear();

  const profileSelect = document.getElementById('profile');
  profileSelect.replaceChildren(...profiles.map((p) => element('option', { value: p.name }, lang === 'ja' ? p.titleJa : p.titleEn)));
  profileSelect.value = profiles.some((p) => p.name === 'small-mammals') ? 'small-mammals' : profiles[0]?.name ?? '';

  const bounds = extentUnion(collections, ['designations', 'acquisitions', 'habitat-patches']) ?? [[139.39, 35.75], [139.53, 35.85]];
  const map = new maplibregl.Map({
    container: 'map',
    style: baseStyle(),
    bounds,
    fitBoundsOptions: { padding: 24 },
    // The GSI credit must show whenever its tiles do: never folded away behind the (i) button.
    attributionControl: { compact: false },
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }));
  window.habitatMap = map;

  await new Promise((resolve) => map.once('load', resolve));
  map.addImage('trust-hatch', hatch(BODY_COLOURS.trust));
  if (profileSelect.value) setNetwork(map, profileSelect.value, await networkTilesets(profileSelect.value));
  addRegisterLayers(map, tilesets, endOf(fy));
  if (document.body.dataset.boundary) {
    map.addSource('boundary', { type: 'geojson', data: document.body.dataset.boundary });
    map.addLayer({ id: 'boundary', type: 'line', source: 'boundary', paint: { 'line-color': '#333', 'line-width': 1.5, 'line-dasharray': [4, 2] } });
  }

  // The latest update (tiles drawn, targets and table loaded), for the page's tests and anyone scripting it.
  let generation = 0;
  const update = async () => {
    const mine = ++generation;
    const drawn = whenDrawn(map, REGISTERS);
    for (const id of REGISTERS) map.getSource(id).setTiles([withDate(tilesets[id].tiles[0], endOf(fy))]);
    // What is still loading, for whoever waits too long (the page's tests report it).
    const progress = window.habitatMapProgress = { fy, drawn: false, targets: false, parcels: false };
    await Promise.all([
      drawn.then(() => { progress.drawn = true; }),
      renderTargets(fy).then(() => { progress.targets = true; }),
      renderParcels(fy).then(() => { progress.parcels = true; }),
    ]);
    return mine === generation;
  };
  let pending = update();
  window.habitatMapSettled = async () => { let p; do { p = pending; await p; } while (p !== pending); };

  // A drag across the years loads only where it stops; a wait begun on a year passed over ends with the next one.
  let timer = null;
  let waiting = null;
  slider.addEventListener('input', () => {
    fy = showYear();
    clearTimeout(timer);
    let done;
    const next = new Promise((resolve) => { done = resolve; });
    waiting?.(next);
    waiting = done;
    pending = next;
    timer = setTimeout(() => { waiting = null; done(update()); }, 150);
  });
  profileSelect.addEventListener('change', () => {
    pending = networkTilesets(profileSelect.value).then((sets) => {
      const drawn = whenDrawn(map, ['network-patches', 'network-links']);
      setNetwork(map, profileSelect.value, sets);
      return drawn;
    });
  });
  const toggles = { 'show-designations': ['designations-fill', 'designations-line'],
    'show-acquisitions': ['acquisitions-fill', 'acquisitions-line', 'acquisitions-trust-fill', 'acquisitions-trust-line'],
    'show-network': ['network-patches-fill', 'network-patches-line', 'network-links'] };
  for (const [checkbox, layers] of Object.entries(toggles)) {
    document.getElementById(checkbox).addEventListener('change', (e) => {
      for (const id of layers) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', e.target.checked ? 'visible' : 'none');
    });
  }

  const clickable = Object.keys(REGISTER_OF_LAYER);
  const under = (point) => map.queryRenderedFeatures(point, { layers: clickable.filter((id) => map.getLayer(id)) });
  map.on('click', (e) => {
    // The topmost: an acquisition over the designation it came from, a parcel over a habitat patch.
    const [feature] = under(e.point);
    if (!feature) return;
    new maplibregl.Popup({ maxWidth: '360px' }).setLngLat(e.lngLat).setDOMContent(popupFor(feature)).addTo(map);
  });
  map.on('mousemove', (e) => { map.getCanvas().style.cursor = under(e.point).length ? 'pointer' : ''; });
}

window.habitatMapReady = main();
window.habitatMapReady.catch((e) => console.error('The map could not be set up:', e));
