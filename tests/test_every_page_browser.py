"""Every page and state in Chromium at a phone's width and a desktop's, by keyboard alone.

On each: axe-core finds no problem; the first Tab reaches the skip link; Tab goes through
every control and leaves the page without being trapped; and each control's focus shows
clearly. That last follows WCAG 2.2's focus appearance (2.4.13), measured on what the
screen shows, so it holds whatever the stylesheet's class names: the pixels that change
between the control's focused and unfocused screenshots with a contrast of at least 3:1
must be at least as many as the control's perimeter in CSS px. (2.4.13 asks for twice
that, a 2 px thick perimeter; the GOV.UK focus styles in the measure's own test pass it.)

One test a state and width visits the page once and makes all three checks there, so
parallel test processes (pytest-xdist) share out the visits.
"""

from __future__ import annotations

import json
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.chromium import as_a_new_visitor, axe_violations, format_violations
from tests.robustness.routes import site_route_names
from tests.site_pages import NOT_PAGES, PAGES, SHOWN, WIDTHS, State

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, CDPSession, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARGIN = 4  # CSS px around a control, where focus rings and underlines are drawn
MOST_TABS = 250

# Screenshots for the README, written only when SCREENSHOTS names a folder.
SCREENSHOTS = os.environ.get("SCREENSHOTS")

# In a blank page: for each control, count the pixels of its area whose colours differ, with
# a contrast ratio of at least 3:1 (WCAG relative luminance), between the screenshot of it
# focused and the same area of the screen with nothing focused, scrolled as it was.
COUNT_CHANGED = """async ({screens, controls}) => {
  const decode = (png) => createImageBitmap(
    new Blob([Uint8Array.fromBase64(png)], {type: "image/png"}),
    {colorSpaceConversion: "none", premultiplyAlpha: "none"});
  const pixels = (image, x, y, width, height) => {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d", {willReadFrequently: true});
    context.drawImage(image, x, y, width, height, 0, 0, width, height);
    return context.getImageData(0, 0, width, height).data;
  };
  const channel = Float64Array.from({length: 256}, (_, v) =>
    (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const luminance = (d, i) =>
    0.2126 * channel[d[i]] + 0.7152 * channel[d[i + 1]] + 0.0722 * channel[d[i + 2]];
  const unfocused = await Promise.all(screens.map(decode));
  const counts = [];
  for (const {screen, clip, focused} of controls) {
    const image = await decode(focused);
    const a = pixels(unfocused[screen], clip.x, clip.y, image.width, image.height);
    const b = pixels(image, 0, 0, image.width, image.height);
    let changed = 0;
    for (let i = 0; i < a.length; i += 4) {
      const [x, y] = [luminance(a, i), luminance(b, i)];
      if ((Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05) >= 3) changed++;
    }
    counts.push(changed);
  }
  return counts;
}"""


# Transitions run to their end, as a person sees a control once it has settled.
SETTLE = """() => document.getAnimations().forEach((animation) => {
  try { animation.finish(); } catch { /* an endless animation runs on */ }
})"""

# On a walk taken `again`, two animation frames have passed: the screen has been drawn
# since the page last changed, so a screenshot taken next shows the change. Under load, one
# taken at once has shown a frame begun before focus moved; waiting costs Chromium two
# frames a control, so only a walk taken again waits (see `walk_by_keyboard`).
DRAWN = "(again && new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))"

# After a Tab (on a walk taken again, once the screen shows it): where focus is, whether it
# was there before in this walk, and what it is; and how far the page is scrolled, and each
# box inside it that Tab has scrolled (a table too wide for a phone scrolls sideways in its
# own box).
FOCUSED = """async (again) => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) return null;
  settle();
  await drawn;
  window.focusWalk = window.focusWalk || [];
  const index = window.focusWalk.indexOf(element);
  if (index < 0) window.focusWalk.push(element);
  const box = element.getBoundingClientRect();
  const target = element.hash && element.pathname === location.pathname
    && document.getElementById(decodeURIComponent(element.hash.slice(1)));
  return {
    index: index < 0 ? window.focusWalk.length - 1 : index,
    box: {x: box.x, y: box.y, width: box.width, height: box.height},
    skipsToMain: Boolean(target && target.matches("main, [role=main]")),
    scroll: [window.scrollX, window.scrollY, scrolledBoxes()],
  };
}""".replace("settle();", f"({SETTLE})();")

SCROLLED_BOXES = """() => {
  const boxes = window.scrolledBoxes = window.scrolledBoxes || [];
  for (const box of document.body.querySelectorAll("*")) {
    if ((box.scrollLeft || box.scrollTop) && !boxes.includes(box)) boxes.push(box);
  }
  return boxes.map((box) => [box.scrollLeft, box.scrollTop]);
}"""
FOCUSED = FOCUSED.replace("scrolledBoxes()", f"({SCROLLED_BOXES})()").replace("drawn;", f"{DRAWN};")

# The page and the boxes in it scrolled as FOCUSED found them (on a walk taken again, once
# the screen shows it).
SCROLL_TO = f"""async ([x, y, scrolled, again]) => {{
  (window.scrolledBoxes || []).forEach((box, i) => {{
    [box.scrollLeft, box.scrollTop] = scrolled[i] || [0, 0];
  }});
  window.scrollTo(x, y);
  await {DRAWN};
}}"""

BLUR = f"""() => {{ document.activeElement.blur(); ({SETTLE})(); }}"""

# A page may move focus to its heading or error summary (as after a step of the
# self-check); the walk then starts, as a page load does, at the top of the page. A walk
# taken `again` starts there too, with nothing scrolled.
FROM_THE_TOP = """(again) => {
  (window.scrolledBoxes || []).forEach((box) => { box.scrollLeft = box.scrollTop = 0; });
  window.scrolledBoxes = window.focusWalk = undefined;
  window.scrollTo(0, 0);
  const focused = document.activeElement;
  if (!again && (!focused || focused === document.body || focused.tabIndex >= 0)) return;
  const start = document.createElement("span");
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
  start.remove();
}"""

# PNG keeps every pixel; compressing it less makes each screenshot about a third of the work.
LOSSLESS = {"format": "png", "optimizeForSpeed": True}

# Tab moves through the parts of one control (a date and time: day, month, year, hour,
# minute) at most this often.
MOST_PARTS = 10


@dataclass
class Control:
    name: str
    changed: int
    perimeter: int

    @property
    def clearly_focused(self) -> bool:
        return self.changed >= self.perimeter


@dataclass
class Walk:
    """What a person pressing Tab again and again meets on one page."""

    controls: list[Control] = field(default_factory=list)
    first_is_skip_link: bool = False
    trapped_at: str | None = None


@dataclass
class Seen:
    url: str
    violations: list[dict]
    walk: Walk


def focused_name(screen: CDPSession, element: str = "document.activeElement") -> str:
    """The focused control (or `element`) as a screen reader names it: role and accessible name.

    Chromium's accessibility tree is asked directly: a date's focus is inside its parts,
    where no selector finds it.
    """
    element = screen.send("Runtime.evaluate", {"expression": element})
    node = screen.send(
        "Accessibility.getPartialAXTree",
        {"objectId": element["result"]["objectId"], "fetchRelatives": False},
    )["nodes"][0]
    role = node.get("role", {}).get("value", "hidden from assistive technology")
    return f'{role} "{node.get("name", {}).get("value", "")}"'


def clip_around(box: dict, viewport: dict) -> dict | None:
    """The control's area and margin on the screen, in whole CSS px."""
    left, top = max(math.floor(box["x"]) - MARGIN, 0), max(math.floor(box["y"]) - MARGIN, 0)
    right = min(math.ceil(box["x"] + box["width"]) + MARGIN, viewport["width"])
    bottom = min(math.ceil(box["y"] + box["height"]) + MARGIN, viewport["height"])
    if right - left < 1 or bottom - top < 1:
        return None
    return {"x": left, "y": top, "width": right - left, "height": bottom - top}


def visible_perimeter(box: dict, viewport: dict) -> int:
    width = min(box["x"] + box["width"], viewport["width"]) - max(box["x"], 0)
    height = min(box["y"] + box["height"], viewport["height"]) - max(box["y"], 0)
    return max(round(2 * max(width, 0) + 2 * max(height, 0)), 1)


@dataclass
class Shot:
    """A focused control's area on the screen, and its screenshot."""

    clip: dict
    scroll: str  # FOCUSED's scroll, as JSON
    focused: str


def focused_shot(screen: CDPSession, viewport: dict, focused: dict) -> Shot | None:
    """The focused control's area, if it is on the screen."""
    clip = clip_around(focused["box"], viewport)
    if clip is None:
        return None
    # The box is measured from the window; Chromium clips screenshots in page coordinates.
    x, y, _ = focused["scroll"]
    on_page = clip | {"x": clip["x"] + x, "y": clip["y"] + y, "scale": 1}
    data = screen.send("Page.captureScreenshot", LOSSLESS | {"clip": on_page})["data"]
    return Shot(clip, json.dumps(focused["scroll"]), data)


def walk_by_keyboard(page: Page, canvas: Page) -> Walk:
    """Tab from the top until focus leaves the page or comes back to the first control.

    The caret is hidden, as it blinks. Each control's area is screenshotted while it has
    focus; once the walk is over, nothing has focus and the screen is screenshotted once
    at each place the walk scrolled to. The two are compared for every control in one go.

    A control is only called unclear by a walk that waited for each change to be drawn
    before its screenshot: if the quicker first walk finds one, the page is walked again.
    """
    page.add_style_tag(content="* { caret-color: transparent !important; }")
    screen = page.context.new_cdp_session(page)
    try:
        walk = measured_walk(page, screen, canvas, again=False)
        if all(control.clearly_focused for control in walk.controls):
            return walk
        return measured_walk(page, screen, canvas, again=True)
    finally:
        screen.detach()


def measured_walk(page: Page, screen: CDPSession, canvas: Page, *, again: bool) -> Walk:
    walk, shots = Walk(), []
    tab_through(page, screen, walk, shots, again=again)
    page.evaluate(BLUR)
    scrolls = list(dict.fromkeys(shot.scroll for shot in shots if shot))
    screens = []
    for scroll in scrolls:
        page.evaluate(SCROLL_TO, [*json.loads(scroll), again])
        screens.append(screen.send("Page.captureScreenshot", LOSSLESS)["data"])
    controls = [
        {"screen": scrolls.index(shot.scroll), "clip": shot.clip, "focused": shot.focused}
        for shot in shots
        if shot
    ]
    changed = iter(canvas.evaluate(COUNT_CHANGED, {"screens": screens, "controls": controls}))
    for index, (control, shot) in enumerate(zip(walk.controls, shots, strict=True)):
        control.changed = next(changed) if shot else 0
        # Naming a control takes a while: only those a message may name are named.
        if index == 0 or not control.clearly_focused:
            control.name = focused_name(screen, f"window.focusWalk[{index}]")
    return walk


def tab_through(
    page: Page, screen: CDPSession, walk: Walk, shots: list[Shot | None], *, again: bool
) -> None:
    """Add each control Tab reaches to `walk`, and its screenshot to `shots`."""
    parts = 0
    page.evaluate(FROM_THE_TOP, again)
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, again)
        if focused is None or (focused["index"] == 0 and walk.controls):
            return
        if focused["index"] == len(walk.controls) - 1 and parts < MOST_PARTS:
            parts += 1
            continue
        if focused["index"] < len(walk.controls):
            walk.trapped_at = focused_name(screen)
            return
        parts = 0
        if not walk.controls:
            walk.first_is_skip_link = focused["skipsToMain"]
        shots.append(focused_shot(screen, page.viewport_size, focused))
        walk.controls.append(Control("", 0, visible_perimeter(focused["box"], page.viewport_size)))
    walk.trapped_at = f"{MOST_TABS} Tabs without reaching the end of the page"


def look_at(page: Page, live_server, state: State, canvas: Page) -> Seen:
    state.reach(page, live_server)
    # Nothing under the mouse pointer: no hover styles in either screenshot.
    page.mouse.move(0, 0)
    return Seen(page.url, axe_violations(page), walk_by_keyboard(page, canvas))


@pytest.fixture(scope="session")
def window(browser_contexts: dict[bool, BrowserContext]) -> Iterator[Page]:
    """One browser window a test process, shared by the walk's tests.

    A new window costs Chromium a new renderer process, more work than a visit to a page.
    """
    window = browser_contexts[True].new_page()
    yield window
    window.close()


@pytest.fixture
def visitor(window: Page, viewport_width: int) -> Iterator[Page]:
    """The shared window at this test's width, as a new visitor has it.

    It is left blank, so nothing it shows asks the site for more once the test is over.
    """
    yield as_a_new_visitor(window, viewport_width)
    window.goto("about:blank")


@pytest.fixture(scope="session")
def canvas(browser: Browser) -> Iterator[Page]:
    """A blank page where screenshots are decoded and compared, one a test process."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


every_page = pytest.mark.parametrize("state", PAGES, ids=[state.name for state in PAGES])
every_width = pytest.mark.parametrize("viewport_width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])


def test_every_named_page_is_in_the_list():
    listed = {state.route for state in PAGES if state.route}
    assert not listed & NOT_PAGES.keys(), "A route is listed as a page and as no page."
    missing = site_route_names() - listed - NOT_PAGES.keys()
    assert not missing, f"Add these routes to tests/site_pages.py: {sorted(missing)}"
    assert not (listed | NOT_PAGES.keys()) - site_route_names(), "A listed route is gone."


def axe_problems(seen: Seen, where: str) -> list[str]:
    if not seen.violations:
        return []
    return [
        f"axe found {len(seen.violations)} problem(s) on {where}:\n"
        + format_violations(seen.violations)
    ]


def keyboard_problems(seen: Seen, where: str) -> list[str]:
    """The first Tab reaches the skip link, and focus is never trapped."""
    walk = seen.walk
    if not walk.controls:
        return [f"Tab reaches nothing on {where}."]
    problems = []
    if not walk.first_is_skip_link:
        problems.append(
            f"The first Tab on {where} reaches {walk.controls[0].name}, "
            "not a link to the main content."
        )
    if walk.trapped_at:
        problems.append(f"Focus is trapped on {where}: {walk.trapped_at}.")
    return problems


def focus_problems(seen: Seen, where: str) -> list[str]:
    """Every control shows clearly when focused."""
    unclear = [control for control in seen.walk.controls if not control.clearly_focused]
    if not unclear:
        return []
    return [
        f"On {where}, {len(unclear)} of {len(seen.walk.controls)} controls change too little "
        "when focused (pixels changed by 3:1 or more, against the control's perimeter in "
        "CSS px):\n" + "\n".join(f"    {c.name}: {c.changed} < {c.perimeter}" for c in unclear)
    ]


@every_width
@every_page
def test_axe_the_keyboard_walk_and_the_focus_measure_find_no_problem(
    visitor: Page, live_server, canvas: Page, state: State, viewport_width: int
):
    """axe, the keyboard walk and the focus measure, from one visit to the page."""
    seen = look_at(visitor, live_server, state, canvas)
    where = f"{state.name} ({seen.url}) at {viewport_width}px"
    problems = [
        *axe_problems(seen, where),
        *keyboard_problems(seen, where),
        *focus_problems(seen, where),
    ]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


# The measure itself, on controls styled as GOV.UK styles them and on a pale outline.
MEASURED = """<!doctype html><html lang="en"><body style="margin: 40px; font: 19px sans-serif">
<style>
  a, button { color: #1d70b8; font: inherit; }
  button { background: #00703c; color: #fff; border: 0; padding: 8px 10px;
           box-shadow: 0 2px 0 #002d18; }
  .govuk:focus { outline: 3px solid transparent; background: #ffdd00; color: #0b0c0c;
                 box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; text-decoration: none; }
  .pale:focus { outline: 3px solid #ffdd00; }
</style>
<p><a class="govuk" href="#a">Read about eyelid twitching</a></p>
<p><button class="govuk">Continue</button></p>
<p><a class="pale" href="#b">Read about eyelid twitching</a></p>
<p><button class="pale">Continue</button></p>
</body></html>"""

# A skip link, then two buttons that send Tab back and forth between themselves.
TRAPPING = """<!doctype html><html lang="en"><body>
<a href="#main">Skip to main content</a>
<main id="main"><button id="one">One</button><button id="two">Two</button>
<button>Never reached</button></main>
<script>
  document.getElementById("two").addEventListener("keydown", (event) => {
    if (event.key === "Tab") { event.preventDefault(); document.getElementById("one").focus(); }
  });
</script>
</body></html>"""


@contextmanager
def showing(browser: Browser, html: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 600, "height": 400}, device_scale_factor=1)
    page = context.new_page()
    page.set_content(html)
    try:
        yield page
    finally:
        context.close()


def walk_through(browser: Browser, canvas: Page, html: str) -> Walk:
    with showing(browser, html) as page:
        return walk_by_keyboard(page, canvas)


def test_the_measure_passes_a_yellow_background_with_a_black_bar_and_fails_a_pale_outline(
    browser, canvas
):
    controls = walk_through(browser, canvas, MEASURED).controls
    measured = [(c.name, c.changed, c.perimeter) for c in controls]
    assert [c.clearly_focused for c in controls] == [True, True, False, False], measured
    # GOV.UK's style passes 2.4.13's own measure too: twice the perimeter.
    assert all(c.changed >= 2 * c.perimeter for c in controls[:2]), measured


def test_a_walk_taken_again_starts_at_the_top_and_measures_what_the_first_did(browser, canvas):
    with showing(browser, MEASURED) as page:
        screen = page.context.new_cdp_session(page)
        first, again = (measured_walk(page, screen, canvas, again=a) for a in (False, True))
    assert [(c.changed, c.perimeter) for c in again.controls] == [
        (c.changed, c.perimeter) for c in first.controls
    ]
    assert len(first.controls) == 4


def test_the_walk_finds_the_skip_link_and_a_trap(browser, canvas):
    walk = walk_through(browser, canvas, TRAPPING)
    assert walk.first_is_skip_link
    assert walk.trapped_at == 'button "One"'
    assert not walk_through(browser, canvas, MEASURED).first_is_skip_link


@pytest.mark.skipif(not SCREENSHOTS, reason="SCREENSHOTS names no folder to write them to")
@every_width
@pytest.mark.parametrize("state", [s for s in PAGES if s.name in SHOWN], ids=lambda s: s.name)
def test_screenshot(page: Page, live_server, state: State, viewport_width: int):
    state.reach(page, live_server)
    page.mouse.move(0, 0)
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{state.name}-{viewport_width}.png", full_page=True)
