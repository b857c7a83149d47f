// The steroid-advisor admin page: signs in with the admin token (kept in sessionStorage), edits
// the running config as a JSON object, validates and previews it against the built-in example
// requests as the administrator types (debounced), saves it with PUT, and shows the audit trail.
// Every field carries the JSON path of its value (data-path), which is also how the server names
// problems, so each problem lands next to its field. Config text is only ever put in the page
// with textContent/value, never as HTML. The file stays ASCII (non-ASCII text as \u escapes):
// cmake/EmbedFileScript.cmake writes bytes as char literals.
'use strict';

(() => {
  const TOKEN_KEY = 'steroidAdvisorAdminToken';
  const ACTOR_KEY = 'steroidAdvisorAdminActor';
  const CHECK_DELAY_MS = 350;

  const THRESHOLDS = {
    exposureWindowMonths: ['Alemtuzumab exposure window', 'months',
      'How long after an alemtuzumab dose the patient counts as exposed.'],
    prolongedDays: ['Prolonged corticosteroid course', 'days',
      'After alemtuzumab, a systemic corticosteroid course longer than this draws a warning.'],
    highDosePrednisoneMg: ['High daily dose (prednisone-equivalent)', 'mg/day',
      'At or above this dose for the high-dose duration, the prolonged-course card is critical.'],
    highDoseDays: ['High-dose duration', 'days',
      'Days at the high dose that make the card critical (the usual PJP prophylaxis threshold).'],
    premedicationMethylprednisoloneMg: ['Premedication dose (methylprednisolone)', 'mg/day',
      'Label premedication dose before each alemtuzumab infusion.'],
    premedicationDays: ['Premedicated infusion days', 'per course',
      'Infusion days of each course that need corticosteroid premedication.'],
    shortCourseDays: ['Short course', 'days',
      'Courses up to this long are short (relapse courses) and never draw the prolonged-course card.'],
  };
  const VARIANT_NAMES = {
    'missing': 'No premedication / prophylaxis ordered',
    'low-dose': 'Premedication below the label dose',
    'too-few-days': 'Premedication covers too few days',
    'warning': 'Warning',
    'critical': 'Critical (high dose, long course)',
    'critical-pjp-active': 'Critical, PJP prophylaxis already active',
    'dose-unknown': 'Dose not readable (tablets or vials of unknown strength)',
    'default': 'Card',
  };
  const SUGGESTION_NAMES = {
    'add-premedication': 'Add methylprednisolone premedication',
    'add-antiviral': 'Add acyclovir prophylaxis',
    'shorten-course': 'Shorten the corticosteroid course',
    'add-pjp-prophylaxis': 'Add PJP prophylaxis',
  };
  const SOURCE_NAMES = {
    'admin-api': 'Admin page / API',
    'sighup': 'File reloaded (SIGHUP)',
    'file-watch': 'File changed on disk',
    'startup': 'Loaded at startup',
  };

  const state = {
    config: null,       // the config being edited (a parsed JSON object)
    savedText: '',      // the running config's text, for "Discard changes"
    examples: [],
    timer: null,
    checkSeq: 0,        // drops answers to checks that a newer edit has overtaken
    feedback: null,     // GET feedback/summary, once loaded
    feedbackError: '',
  };

  const $ = (id) => document.getElementById(id);

  // el('div', {className: 'x', text: 'y', dataset: {path: 'a'}}, child, ...)
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'text') node.textContent = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key === 'className' || key === 'value' || key === 'checked' || key === 'type' ||
               key === 'hidden' || key === 'id' || key === 'htmlFor') node[key] = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  // ---- JSON paths: "rules.x.links[0].url" <-> ["rules", "x", "links", 0, "url"] ----

  function parsePath(path) {
    const segments = [];
    for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
      segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
    }
    return segments;
  }

  function joinPath(segments) {
    return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : (i ? '.' : '') + s)).join('');
  }

  function getAt(object, path) {
    return parsePath(path).reduce((node, key) => (node == null ? undefined : node[key]), object);
  }

  function setAt(object, path, value) {
    const segments = parsePath(path);
    let node = object;
    for (let i = 0; i < segments.length - 1; i++) {
      if (node[segments[i]] == null) node[segments[i]] = typeof segments[i + 1] === 'number' ? [] : {};
      node = node[segments[i]];
    }
    node[segments[segments.length - 1]] = value;
  }

  function idFor(prefix, path) {
    return `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  }

  // ---- Talking to the server ----

  class SignedOut extends Error {}

  async function api(method, path, body) {
    const headers = {Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ''}`};
    const actor = sessionStorage.getItem(ACTOR_KEY);
    if (actor) headers['X-Admin-Actor'] = actor;
    const init = {method, headers, cache: 'no-store', credentials: 'omit'};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = null;
    try {
      data = await response.json();
    } catch (ignored) {
      data = null;
    }
    if (response.status === 401) {
      signOut('The token was not accepted. Sign in again.');
      throw new SignedOut();
    }
    return {status: response.status, data};
  }

  // ---- Sign in / out ----

  async function signIn(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    const actor = $('actor').value.trim();
    if (!token) {
      showLoginError('Enter the admin token.');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    if (actor) sessionStorage.setItem(ACTOR_KEY, actor);
    else sessionStorage.removeItem(ACTOR_KEY);
    $('token').value = '';
    await openWorkspace();
  }

  function showLoginError(message) {
    $('login-error').textContent = message;
    $('login-error').hidden = !message;
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('workspace').hidden = true;
    $('session').hidden = true;
    $('login').hidden = false;
    showLoginError(message || '');
    $('token').focus();
  }

  async function openWorkspace() {
    let config;
    let examples;
    try {
      config = await api('GET', 'config');
      examples = await api('GET', 'examples');
    } catch (error) {
      if (!(error instanceof SignedOut)) showLoginError('The server could not be reached.');
      return;
    }
    if (config.status !== 200 || config.data === null) {
      showLoginError('The configuration could not be loaded.');
      return;
    }
    showLoginError('');
    state.config = config.data;
    state.savedText = JSON.stringify(config.data);
    state.examples = (examples.data && examples.data.examples) || [];
    $('login').hidden = true;
    $('workspace').hidden = false;
    $('session').hidden = false;
    $('session-actor').textContent = sessionStorage.getItem(ACTOR_KEY) || 'admin';
    buildEditor();
    setDirty(false);
    scheduleCheck(0);
    loadAudit();
    loadFeedback();
  }

  // ---- The editor ----

  function field(path, labelText, input, help) {
    const errorId = idFor('err', path);
    const helpId = help ? idFor('help', path) : null;
    input.id = idFor('in', path);
    input.dataset.path = path;
    input.setAttribute('aria-describedby', [helpId, errorId].filter(Boolean).join(' '));
    return el('div', {className: 'field'},
      el('label', {htmlFor: input.id, text: labelText}),
      input,
      help ? el('p', {className: 'help', id: helpId, text: help}) : null,
      el('p', {className: 'error', id: errorId, dataset: {errorFor: path}, hidden: true}));
  }

  function numberField(path, labelText, unit, help) {
    const value = getAt(state.config, path);
    const input = el('input', {type: 'number', value: value == null ? '' : String(value),
                               inputmode: 'decimal', step: 'any', dataset: {kind: 'number'}});
    const wrapper = field(path, `${labelText} (${unit})`, input, help);
    wrapper.classList.add('field-number');
    return wrapper;
  }

  function textField(path, labelText, options = {}) {
    const value = getAt(state.config, path);
    const input = el('input', {type: options.type || 'text', value: value == null ? '' : value,
                               dataset: {kind: 'text'}, spellcheck: options.spellcheck || 'true'});
    const wrapper = field(path, labelText, input, options.help);
    if (options.counter) {
      const counter = el('p', {className: 'counter', id: idFor('count', path), 'aria-live': 'off'});
      const update = () => {
        counter.textContent = `${input.value.length} characters before placeholders are filled`;
      };
      input.addEventListener('input', update);
      update();
      wrapper.append(counter);
    }
    return wrapper;
  }

  function textareaField(path, labelText, help) {
    const value = getAt(state.config, path);
    const input = el('textarea', {rows: '5', dataset: {kind: 'text'}});
    input.value = value == null ? '' : value;
    return field(path, labelText, input, help);
  }

  function checkboxField(path, labelText) {
    const input = el('input', {type: 'checkbox', checked: getAt(state.config, path) === true,
                               dataset: {kind: 'bool'}});
    const wrapper = field(path, labelText, input);
    wrapper.classList.add('field-checkbox');
    return wrapper;
  }

  function selectField(path, labelText, options) {
    const value = getAt(state.config, path);
    const input = el('select', {dataset: {kind: 'text'}},
      ...options.map((option) => el('option', {value: option, text: option})));
    input.value = value;
    return field(path, labelText, input);
  }

  // A fieldset that problems about the whole object (e.g. "missing variant") can attach to.
  function group(path, legendText, className, ...children) {
    const errorId = idFor('err', path);
    return el('fieldset', {className, dataset: {path}, 'aria-describedby': errorId},
      el('legend', {text: legendText}),
      el('p', {className: 'error', id: errorId, dataset: {errorFor: path}, hidden: true}),
      ...children);
  }

  // Rows of small objects (links, override reasons) with add and remove.
  function listGroup(path, legendText, columns, blank) {
    const items = getAt(state.config, path) || [];
    const rows = items.map((item, index) => {
      const itemPath = `${path}[${index}]`;
      const remove = el('button', {type: 'button', className: 'secondary small',
                                   text: 'Remove', 'aria-label': `Remove ${legendText} ${index + 1}`});
      remove.addEventListener('click', () => {
        getAt(state.config, path).splice(index, 1);
        edited(true);
      });
      return el('div', {className: 'list-row'},
        ...columns.map(([key, label, type]) =>
          textField(`${itemPath}.${key}`, label, {type, spellcheck: type === 'url' ? 'false' : 'true'})),
        remove);
    });
    const add = el('button', {type: 'button', className: 'secondary small', text: `Add ${legendText}`});
    add.addEventListener('click', () => {
      if (!Array.isArray(getAt(state.config, path))) setAt(state.config, path, []);
      getAt(state.config, path).push({...blank});
      edited(true);
    });
    return group(path, `${legendText[0].toUpperCase()}${legendText.slice(1)}s`, 'list-group',
      ...rows, add);
  }

  function ruleSection(id, rule) {
    const base = `rules.${id}`;
    const variants = Object.keys(rule.variants || {}).map((name) => {
      const path = `${base}.variants.${name}`;
      return group(path, `Case: ${VARIANT_NAMES[name] || name} (${name})`, 'variant',
        selectField(`${path}.indicator`, 'Indicator', ['info', 'warning', 'critical']),
        textField(`${path}.summary`, 'Summary (under 140 characters when filled in)',
                  {counter: true}),
        textareaField(`${path}.detail`, 'Detail (markdown)'));
    });
    const labels = Object.keys(rule.suggestionLabels || {}).map((key) =>
      textField(`${base}.suggestionLabels.${key}`, `${SUGGESTION_NAMES[key] || key} (${key})`));
    const details = el('details', {className: 'rule', open: ''},
      el('summary', {},
        el('span', {className: 'rule-title', text: rule.title || id}),
        el('code', {className: 'rule-id', text: id}),
        el('span', {className: `rule-state ${rule.enabled === false ? 'off' : 'on'}`,
                    text: rule.enabled === false ? 'off' : 'on'})),
      el('section', {className: 'feedback', id: idFor('feedback', id), dataset: {rule: id},
                     'aria-label': `Clinician feedback on ${id}`}),
      group(base, `Rule ${id}`, 'rule-body',
        checkboxField(`${base}.enabled`, 'Enabled: this rule makes cards'),
        textField(`${base}.title`, 'Title (card topic)'),
        ...variants,
        group(`${base}.suggestionLabels`, 'Suggestion labels', 'suggestions', ...labels),
        textField(`${base}.sourceLabel`, 'Source label'),
        textField(`${base}.sourceUrl`, 'Source URL', {type: 'url', spellcheck: 'false'}),
        listGroup(`${base}.links`, 'link', [['label', 'Link label', 'text'], ['url', 'URL', 'url']],
                  {label: '', url: 'https://'}),
        listGroup(`${base}.overrideReasons`, 'override reason',
                  [['code', 'Code', 'text'], ['display', 'Shown to clinicians', 'text']],
                  {code: '', display: ''})));
    return details;
  }

  function buildEditor() {
    const thresholds = state.config.thresholds || {};
    const known = Object.keys(THRESHOLDS);
    const keys = known.concat(Object.keys(thresholds).filter((k) => !known.includes(k)));
    $('thresholds').replaceChildren(group('thresholds', 'Thresholds', 'thresholds',
      ...keys.map((key) => {
        const [label, unit, help] = THRESHOLDS[key] || [key, 'number', ''];
        return numberField(`thresholds.${key}`, label, unit, help);
      })));
    const rules = state.config.rules || {};
    $('rules').replaceChildren(...Object.keys(rules).map((id) => ruleSection(id, rules[id])));
    renderFeedback();
  }

  // ---- Clinician feedback (GET feedback/summary): counts and a weekly chart per rule ----

  const SVG_NS = 'http://www.w3.org/2000/svg';

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    for (const child of children) node.append(child);
    return node;
  }

  // Accepted and overridden side by side for each week with feedback (the last 13 at most).
  function feedbackChart(rule) {
    const weeks = (rule.weeks || []).slice(-13);
    const barWidth = 10;
    const groupWidth = 2 * barWidth + 14;
    const plotHeight = 60;
    const top = 4;
    const bottom = 16;
    const width = Math.max(140, weeks.length * groupWidth + 8);
    const most = Math.max(1, ...weeks.map((week) => Math.max(week.accepted, week.overridden)));
    const chart = svg('svg', {class: 'feedback-chart', width, height: top + plotHeight + bottom,
      viewBox: `0 0 ${width} ${top + plotHeight + bottom}`, role: 'img',
      'aria-label': `Accepted and overridden cards per week, rule ${rule.rule}`});
    chart.append(svg('line', {class: 'axis', x1: 0, x2: width, y1: top + plotHeight,
                              y2: top + plotHeight}));
    weeks.forEach((week, index) => {
      const x = 6 + index * groupWidth;
      [['accepted', week.accepted, 0], ['overridden', week.overridden, barWidth + 2]]
        .forEach(([outcome, count, dx]) => {
          const height = Math.round((count / most) * plotHeight);
          chart.append(svg('rect', {class: `bar bar-${outcome}`, x: x + dx,
            y: top + plotHeight - height, width: barWidth, height,
            'data-week': week.week, 'data-outcome': outcome, 'data-count': count},
          svg('title', {}, `${week.week}: ${count} ${outcome}`)));
        });
      chart.append(svg('text', {class: 'week', x: x + barWidth + 1, y: top + plotHeight + 12,
                                'text-anchor': 'middle'}, week.week.slice(5)));
    });
    return chart;
  }

  function renderFeedback() {
    const summary = state.feedback;
    for (const section of document.querySelectorAll('section.feedback')) {
      const id = section.dataset.rule;
      if (!summary) {
        section.replaceChildren(el('p', {className: 'help',
          text: state.feedbackError || 'Loading clinician feedback\u2026'}));
        continue;
      }
      const rule = (summary.rules || []).find((entry) => entry.rule === id) ||
        {rule: id, shown: 0, accepted: 0, overridden: 0, overrideReasons: [], weeks: []};
      const answered = rule.accepted + rule.overridden;
      const rate = answered ? Math.round((100 * rule.overridden) / answered) : null;
      const counts = el('p', {className: 'feedback-counts'},
        `Last 90 days: shown ${rule.shown} \u00b7 `,
        el('span', {className: 'accepted', text: `accepted ${rule.accepted}`}), ' \u00b7 ',
        el('span', {className: 'overridden', text: `overridden ${rule.overridden}`}),
        rate === null ? '' : ` (${rate}% overridden)`);
      const reasons = (rule.overrideReasons || []).map((reason) =>
        el('li', {text: `${reason.display || reason.code}: ${reason.count}`}));
      section.replaceChildren(el('h3', {text: 'Clinician feedback'}), counts,
        rule.weeks && rule.weeks.length ? feedbackChart(rule)
          : el('p', {className: 'help', text: 'No feedback yet.'}),
        reasons.length ? el('ul', {className: 'override-reasons'}, ...reasons) : '');
    }
  }

  async function loadFeedback() {
    let answer;
    try {
      answer = await api('GET', 'feedback/summary');
    } catch (error) {
      return;
    }
    if (answer.status === 200 && answer.data) {
      state.feedback = answer.data;
      state.feedbackError = '';
      const unknown = answer.data.unknownCards || 0;
      $('feedback-unknown').textContent = unknown ?
        `${unknown} feedback entries named cards this service did not issue.` : '';
    } else {
      state.feedbackError = 'Clinician feedback is not available right now.';
    }
    renderFeedback();
  }

  function readInput(input) {
    switch (input.dataset.kind) {
      case 'number': {
        if (input.value.trim() === '') return null;
        const number = Number(input.value);
        return Number.isFinite(number) ? number : input.value;
      }
      case 'bool':
        return input.checked;
      default:
        return input.value;
    }
  }

  function onInput(event) {
    const input = event.target;
    if (!input.dataset || !input.dataset.path || !state.config) return;
    setAt(state.config, input.dataset.path, readInput(input));
    if (input.dataset.kind === 'bool') {
      const summary = input.closest('details.rule');
      const badge = summary && summary.querySelector('.rule-state');
      if (badge) {
        badge.textContent = input.checked ? 'on' : 'off';
        badge.className = `rule-state ${input.checked ? 'on' : 'off'}`;
      }
    }
    edited(false);
  }

  // After any edit: rebuild when the structure changed (rows added or removed), then re-check.
  function edited(rebuild) {
    if (rebuild) buildEditor();
    setDirty(JSON.stringify(state.config) !== state.savedText);
    scheduleCheck(CHECK_DELAY_MS);
  }

  function setDirty(dirty) {
    $('dirty').hidden = !dirty;
  }

  // ---- Validation and preview ----

  function scheduleCheck(delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(check, delay);
  }

  async function check() {
    const seq = ++state.checkSeq;
    const text = JSON.stringify(state.config);
    $('preview-status').textContent = 'Updating preview\u2026';
    try {
      const validation = await api('POST', 'validate', text);
      if (seq !== state.checkSeq) return;
      const problems = (validation.data && validation.data.problems) || [];
      showProblems(problems);
      if (problems.length > 0) {
        $('preview-status').textContent =
          'Fix the problems marked in the form to update the preview.';
        return;
      }
      const previews = await Promise.all(state.examples.map((example) =>
        api('POST', 'preview', {config: state.config, request: example.request,
                                service: example.service, now: example.now})));
      if (seq !== state.checkSeq) return;
      renderPreviews(previews);
      $('preview-status').textContent = 'Preview up to date.';
    } catch (error) {
      if (error instanceof SignedOut) return;
      if (seq === state.checkSeq) $('preview-status').textContent = 'The preview could not be updated.';
    }
  }

  function clearProblems() {
    for (const node of document.querySelectorAll('[data-error-for]')) {
      node.textContent = '';
      node.hidden = true;
    }
    for (const node of document.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    $('general-error-list').replaceChildren();
    $('general-errors').hidden = true;
  }

  // Puts each problem next to the field whose data-path it names, or on the closest enclosing
  // group; problems that fit nowhere go to the list above the form.
  function showProblems(problems) {
    clearProblems();
    const general = [];
    for (const problem of problems) {
      const path = problem.path || '';
      let target = null;
      const segments = parsePath(path);
      for (let n = segments.length; n > 0 && !target; n--) {
        const candidate = joinPath(segments.slice(0, n));
        target = document.querySelector(`[data-error-for="${CSS.escape(candidate)}"]`);
      }
      if (!target) {
        general.push(path ? `${path}: ${problem.message}` : problem.message);
        continue;
      }
      const exact = target.dataset.errorFor === path;
      const message = exact ? problem.message : `${path}: ${problem.message}`;
      target.textContent = target.textContent ? `${target.textContent}\n${message}` : message;
      target.hidden = false;
      const input = document.querySelector(`[data-path="${CSS.escape(target.dataset.errorFor)}"]`);
      if (input) input.setAttribute('aria-invalid', 'true');
      const rule = target.closest('details.rule');
      if (rule) rule.open = true;
    }
    if (general.length > 0) {
      $('general-error-list').replaceChildren(...general.map((text) => el('li', {text})));
      $('general-errors').hidden = false;
    }
  }

  // A little markdown: paragraphs and **bold**. Everything else stays text.
  function markdown(text) {
    const fragment = document.createDocumentFragment();
    for (const paragraph of String(text || '').split(/\n{2,}/)) {
      const p = el('p');
      paragraph.split(/(\*\*[^*]+\*\*)/).forEach((part) => {
        if (/^\*\*[^*]+\*\*$/.test(part)) p.append(el('strong', {text: part.slice(2, -2)}));
        else if (part) p.append(document.createTextNode(part));
      });
      fragment.append(p);
    }
    return fragment;
  }

  function renderCard(card) {
    const indicator = card.indicator || 'info';
    const topic = (card.source && card.source.topic) || {};
    const suggestions = (card.suggestions || []).map((s) => el('li', {text: s.label}));
    const links = (card.links || []).filter((l) => /^https?:\/\//.test(l.url || '')).map((l) =>
      el('li', {}, el('a', {href: l.url, target: '_blank', rel: 'noopener noreferrer', text: l.label})));
    return el('article', {className: `card card-${indicator}`},
      el('header', {},
        el('span', {className: `badge badge-${indicator}`, text: indicator}),
        el('span', {className: 'card-topic', text: topic.display || topic.code || ''})),
      el('p', {className: 'card-summary', text: card.summary || ''}),
      el('div', {className: 'card-detail'}, markdown(card.detail)),
      suggestions.length ? el('div', {className: 'card-suggestions'},
        el('h5', {text: 'Suggestions'}), el('ul', {}, ...suggestions)) : null,
      links.length ? el('ul', {className: 'card-links'}, ...links) : null,
      card.source && card.source.label ?
        el('p', {className: 'card-source', text: `Source: ${card.source.label}`}) : null);
  }

  function renderPreviews(previews) {
    const sections = state.examples.map((example, index) => {
      const {status, data} = previews[index];
      let body;
      if (status !== 200) {
        const message = data && data.error ? data.error.message : `status ${status}`;
        body = el('p', {className: 'error', text: `This example could not be previewed: ${message}`});
      } else if (!data.cards || data.cards.length === 0) {
        body = el('p', {className: 'no-cards', text: 'No card.'});
      } else {
        body = el('div', {className: 'cards'}, ...data.cards.map(renderCard));
      }
      return el('section', {className: 'example', dataset: {example: example.id}},
        el('h3', {text: example.title}),
        el('p', {className: 'help', text: `${example.service.replace('steroid-advisor-', '')} \u00b7 ` +
                                          `as of ${example.now}`}),
        body);
    });
    $('preview').replaceChildren(...sections);
  }

  // ---- Saving and the audit trail ----

  async function save() {
    clearTimeout(state.timer);
    const button = $('save');
    button.disabled = true;
    $('save-status').textContent = 'Saving\u2026';
    try {
      const result = await api('PUT', 'config', JSON.stringify(state.config, null, 2));
      if (result.status === 200) {
        state.savedText = JSON.stringify(state.config);
        setDirty(false);
        clearProblems();
        const changes = result.data.changes.length;
        $('save-status').textContent = result.data.changed ?
          `Saved. Version ${result.data.version} is now serving (${changes} change${changes === 1 ? '' : 's'}).` :
          'Nothing to save: the running configuration is the same.';
        loadAudit();
      } else if (result.status === 400 && result.data && result.data.problems) {
        showProblems(result.data.problems);
        const n = result.data.problems.length;
        $('save-status').textContent =
          `Not saved: ${n} problem${n === 1 ? '' : 's'} to fix. The running configuration is unchanged.`;
      } else {
        const message = result.data && result.data.error ? result.data.error.message : '';
        $('save-status').textContent = `Not saved (status ${result.status}). ${message}`;
      }
    } catch (error) {
      if (!(error instanceof SignedOut)) $('save-status').textContent = 'Not saved: the server could not be reached.';
    } finally {
      button.disabled = false;
      scheduleCheck(0);
    }
  }

  function revert() {
    state.config = JSON.parse(state.savedText);
    buildEditor();
    setDirty(false);
    $('save-status').textContent = 'Changes discarded.';
    scheduleCheck(0);
  }

  function shortJson(value) {
    const text = JSON.stringify(value);
    return text.length > 160 ? `${text.slice(0, 157)}\u2026` : text;
  }

  async function loadAudit() {
    let result;
    try {
      result = await api('GET', 'audit');
    } catch (error) {
      return;
    }
    const entries = (result.data && result.data.entries) || [];
    const rows = entries.map((entry) => el('tr', {},
      el('td', {text: entry.time.replace('T', ' ').replace('Z', '')}),
      el('td', {text: entry.actor}),
      el('td', {text: SOURCE_NAMES[entry.source] || entry.source}),
      el('td', {}, el('ul', {className: 'changes'}, ...entry.changes.map((change) =>
        el('li', {}, el('code', {text: change.path}), ': ',
          el('span', {className: 'old', text: shortJson(change.old)}), ' \u2192 ',
          el('span', {className: 'new', text: shortJson(change.new)})))))));
    if (rows.length === 0) {
      rows.push(el('tr', {}, el('td', {colspan: '4', text: 'No changes recorded yet.'})));
    }
    $('audit-body').replaceChildren(...rows);
  }

  // ---- Start ----

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut(''));
    $('save').addEventListener('click', save);
    $('revert').addEventListener('click', revert);
    $('audit-refresh').addEventListener('click', loadAudit);
    $('thresholds').addEventListener('input', onInput);
    $('rules').addEventListener('input', onInput);
    $('rules').addEventListener('change', onInput);  // checkboxes and selects
    $('actor').value = sessionStorage.getItem(ACTOR_KEY) || '';
    if (sessionStorage.getItem(TOKEN_KEY)) openWorkspace();
    else $('token').focus();
  });
})();
