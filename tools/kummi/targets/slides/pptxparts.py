"""The package layer of a deck, written directly: the parts, relationships, content types and part
order that python-pptx's `Presentation.save` would write for slides built on a slide master.

The master is read with python-pptx once per process (`template_parts`): its parts as python-pptx
serializes them, and what python-pptx's `add_slide` and `notes_slide` create for each layout and
for the notes master. A deck (`DeckPackage`) then only adds its own parts and writes the zip.
"""
from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.spec import default_content_types
from pptx.parts.image import Image, ImagePart

from ...archive import write_zip
from .template import LAYOUTS

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NOTES_NAME = "/ppt/notesSlides/notesSlide%d.xml"


def xml_bytes(root) -> bytes:
    """A part's XML as python-pptx serializes it."""
    return etree.tostring(root, encoding="UTF-8", standalone=True)


@dataclass(frozen=True, slots=True)
class Rel:
    reltype: str
    target: str  # partname, or the URL of an external target
    external: bool = False


@dataclass(eq=False, slots=True)
class Part:
    name: str  # partname, e.g. "/ppt/slides/slide1.xml"
    content_type: str
    blob: bytes = b""
    rels: dict[str, Rel] = field(default_factory=dict)  # rId -> Rel, in the order added
    rels_xml: bytes | None = None  # the master's parts: their .rels as python-pptx writes them

    def relate(self, reltype: str, target: str, external: bool = False) -> str:
        """rId of the relationship, added if this part has none like it (python-pptx `relate_to`)."""
        wanted = Rel(reltype, target, external)
        for rid, rel in self.rels.items():
            if rel == wanted:
                return rid
        return add_rel(self.rels, wanted)


def add_rel(rels: dict[str, Rel], rel: Rel) -> str:
    """Add `rel` under python-pptx's next rId: the highest free "rIdN" with N <= len(rels) + 1."""
    rid = next(f"rId{n}" for n in range(len(rels) + 1, 0, -1) if f"rId{n}" not in rels)
    rels[rid] = rel
    return rid


@dataclass(frozen=True, slots=True)
class LayoutParts:
    name: str  # partname of the slide layout
    slide_xml: bytes  # a new slide on this layout: python-pptx's clone of its placeholders
    number_ph: bytes | None  # the layout's slide-number <p:ph>, if it has one
    number_field_id: str | None  # id of the layout's slide-number field


@dataclass(frozen=True, slots=True)
class TemplateParts:
    package_rels: dict[str, Rel]
    package_rels_xml: bytes
    parts: dict[str, Part]  # every part reachable without the master's example slides
    presentation: str  # partname; its blob has an empty slide list
    core: str  # partname of the core properties
    first_slide_number: int
    layouts: dict[str, LayoutParts]  # role -> layout
    notes_xml: bytes  # a new notes slide: python-pptx's clone of the notes master's placeholders
    notes_master: str | None  # partname, None when the master has none
    default_notes_parts: tuple[Part, ...]  # python-pptx's default notes master (and its theme)
    images: dict[str, str]  # SHA1 of an image -> partname (python-pptx reuses equal images)
    image_numbers: tuple[int, ...]  # N of every /ppt/media/imageN.* part


_templates: dict[tuple, TemplateParts] = {}


def template_parts(path: Path) -> TemplateParts:
    """The master at `path`, read once per process (and again when the file changes)."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    found = _templates.get(key)
    if found is None:
        if len(_templates) >= 4:
            _templates.clear()
        found = _templates[key] = _read_template(path)
    return found


def _read_template(path: Path) -> TemplateParts:
    prs = Presentation(str(path))
    package = prs.part.package
    for sld_id in list(prs.slides._sldIdLst):  # a course master may contain example slides
        prs.part.drop_rel(sld_id.rId)
        prs.slides._sldIdLst.remove(sld_id)
    core = package.core_properties  # python-pptx adds default ones to a master without them
    parts = {str(p.partname): _part(p) for p in package.iter_parts()}
    package_rels = {rid: _rel(rel) for rid, rel in package._rels.items()}
    package_rels_xml = package._rels.xml
    has_notes_master = any(rel.reltype == RT.NOTES_MASTER for rel in prs.part.rels.values())
    images = _image_hashes(package)
    # What python-pptx adds to a deck: slides on each layout and a notes slide (which brings the
    # default notes master along when the master has none). Read after the master's own parts.
    layouts = {role: _layout_parts(prs, name) for role, name in LAYOUTS.items()}
    notes = prs.slides[0].notes_slide
    notes_master = prs.part.notes_master_part
    added = [] if has_notes_master else [p for p in _reachable(notes_master) if str(p.partname) not in parts]
    image_uris = [PackURI(n) for n in parts if n.startswith("/ppt/media/image")]
    return TemplateParts(
        package_rels=package_rels,
        package_rels_xml=package_rels_xml,
        parts=parts,
        presentation=str(prs.part.partname),
        core=str(core.partname),
        first_slide_number=int(prs.part._element.get("firstSlideNum", "1")),
        layouts=layouts,
        notes_xml=etree.tostring(notes._element),
        notes_master=str(notes_master.partname) if has_notes_master else None,
        default_notes_parts=tuple(_part(p) for p in added),
        images=images,
        image_numbers=tuple(uri.idx for uri in image_uris if uri.idx is not None),
    )


def _image_hashes(package) -> dict[str, str]:
    """SHA1 -> partname of the master's images, the first related one first (python-pptx's search)."""
    found: dict[str, str] = {}
    for rel in package.iter_rels():
        part = None if rel.is_external else rel.target_part
        if rel.reltype == RT.IMAGE and isinstance(part, ImagePart):
            found.setdefault(part.sha1, str(part.partname))
    return found


def _part(part) -> Part:
    return Part(str(part.partname), part.content_type, part.blob, {rid: _rel(rel) for rid, rel in part.rels.items()},
                part.rels.xml if len(part.rels) else None)


def _rel(rel) -> Rel:
    return Rel(rel.reltype, rel.target_ref, True) if rel.is_external else Rel(rel.reltype, str(rel.target_part.partname))


def _reachable(part) -> list:
    """`part` and the parts it relates to, depth first."""
    found = [part]
    for rel in part.rels.values():
        if not rel.is_external and rel.target_part not in found:
            found += [p for p in _reachable(rel.target_part) if p not in found]
    return found


def _layout_parts(prs, name: str) -> LayoutParts:
    layout = prs.slide_layouts.get_by_name(name)
    slide = prs.slides.add_slide(layout)
    number = next((sp._element for sp in layout.placeholders if sp._element.find(f".//{{{_P}}}nvPr/{{{_P}}}ph").get("type") == "sldNum"), None)
    ph = field_id = None
    if number is not None:
        ph = etree.tostring(number.find(f".//{{{_P}}}nvPr/{{{_P}}}ph"))
        field = number.find(f".//{{{_A}}}fld[@type='slidenum']")
        field_id = field.get("id") if field is not None else None
    return LayoutParts(str(layout.part.partname), etree.tostring(slide._element), ph, field_id)


class DeckPackage:
    """One deck's parts: the master's (shared, never changed) and the deck's own, added in the
    order python-pptx would add them so that names, rIds and the written order agree."""

    def __init__(self, template: TemplateParts):
        self.template = template
        self.parts = dict(template.parts)
        self.presentation_rels = dict(template.parts[template.presentation].rels)
        self.slide_rids: list[str] = []
        self.images = dict(template.images)
        self.image_numbers = list(template.image_numbers)
        self.notes_names = {n for n in template.parts if n.startswith(NOTES_NAME[: NOTES_NAME.index("%")])}
        self.notes_master = template.notes_master

    def add_slide(self, layout: LayoutParts) -> Part:
        slide = Part(f"/ppt/slides/slide{len(self.slide_rids) + 1}.xml", CT.PML_SLIDE)
        slide.relate(RT.SLIDE_LAYOUT, layout.name)
        self.slide_rids.append(add_rel(self.presentation_rels, Rel(RT.SLIDE, slide.name)))
        self.parts[slide.name] = slide
        return slide

    def add_image(self, slide: Part, blob: bytes) -> str:
        """rId of the image on `slide`; equal images share one part, as python-pptx's do."""
        name = self.images.get(hashlib.sha1(blob).hexdigest())
        if name is None:
            image = Image.from_blob(blob)
            number = _first_free(self.image_numbers)
            name = f"/ppt/media/image{number}.{image.ext}"
            self.parts[name] = Part(name, image.content_type, blob)
            self.images[image.sha1] = name
            self.image_numbers.append(number)
        return slide.relate(RT.IMAGE, name)

    def add_notes(self, slide: Part, blob: bytes) -> None:
        """A notes slide for `slide`; the first one brings the default notes master if needed."""
        if self.notes_master is None:
            for part in self.template.default_notes_parts:
                self.parts[part.name] = part
            self.notes_master = self.template.default_notes_parts[0].name
            add_rel(self.presentation_rels, Rel(RT.NOTES_MASTER, self.notes_master))
        name = next(NOTES_NAME % n for n in range(len(self.notes_names) + 1, 0, -1) if NOTES_NAME % n not in self.notes_names)
        self.notes_names.add(name)
        notes = Part(name, CT.PML_NOTES_SLIDE, blob)
        notes.relate(RT.NOTES_MASTER, self.notes_master)
        notes.relate(RT.SLIDE, slide.name)
        self.parts[name] = notes
        slide.relate(RT.NOTES_SLIDE, name)

    def write(self, dest: Path, epoch: int, presentation_xml: bytes, core_xml: bytes) -> None:
        tpl = self.template
        parts = dict(self.parts)
        parts[tpl.presentation] = Part(tpl.presentation, tpl.parts[tpl.presentation].content_type, presentation_xml, self.presentation_rels)
        parts[tpl.core] = Part(tpl.core, tpl.parts[tpl.core].content_type, core_xml)
        order = _package_order(tpl.package_rels, parts)
        members = {"[Content_Types].xml": _content_types(order), "_rels/.rels": tpl.package_rels_xml}
        for part in order:
            uri = PackURI(part.name)
            members[uri.membername] = part.blob
            if part.rels:
                members[uri.rels_uri.membername] = part.rels_xml or _rels_xml(uri.baseURI, part.rels)
        write_zip(dest, members, epoch, first=tuple(members))


def _first_free(numbers: list[int]) -> int:
    """python-pptx's next image number: the first gap in the numbers in use, else one past them."""
    for i, n in enumerate(sorted(numbers), 1):
        if i < n:
            return i
    return len(numbers) + 1


def _package_order(package_rels: dict[str, Rel], parts: dict[str, Part]) -> list[Part]:
    """The parts reachable from the package relationships, depth first: python-pptx's write order."""
    order: list[Part] = []
    seen: set[str] = set()

    def walk(rels: dict[str, Rel]) -> None:
        for rel in rels.values():
            if rel.external or rel.target in seen:
                continue
            seen.add(rel.target)
            part = parts[rel.target]
            order.append(part)
            walk(part.rels)

    walk(package_rels)
    return order


def _rid_order(rid: str) -> tuple[int, str]:
    return (int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid)


def _rels_xml(base_uri: str, rels: dict[str, Rel]) -> bytes:
    root = etree.Element(f"{{{_PR}}}Relationships", nsmap={None: _PR})
    for rid in sorted(rels, key=_rid_order):
        rel = rels[rid]
        el = etree.SubElement(root, f"{{{_PR}}}Relationship")
        el.set("Id", rid)
        el.set("Type", rel.reltype)
        el.set("Target", rel.target if rel.external else _relative(rel.target, base_uri))
        if rel.external:
            el.set("TargetMode", "External")
    return xml_bytes(root)


@lru_cache(maxsize=4096)
def _relative(partname: str, base_uri: str) -> str:
    return partname[1:] if base_uri == "/" else posixpath.relpath(partname, base_uri)


def _content_types(parts: list[Part]) -> bytes:
    """[Content_Types].xml: a Default per known extension, an Override for every other part."""
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for part in parts:
        ext = PackURI(part.name).ext
        if (ext.lower(), part.content_type) in default_content_types:
            defaults[ext.lower()] = part.content_type
        else:
            overrides[part.name] = part.content_type
    root = etree.Element(f"{{{_CT}}}Types", nsmap={None: _CT})
    for ext, content_type in sorted(defaults.items()):
        el = etree.SubElement(root, f"{{{_CT}}}Default")
        el.set("Extension", ext)
        el.set("ContentType", content_type)
    for name, content_type in sorted(overrides.items()):
        el = etree.SubElement(root, f"{{{_CT}}}Override")
        el.set("PartName", name)
        el.set("ContentType", content_type)
    return xml_bytes(root)


def presentation_xml(template: TemplateParts, slide_rids: list[str], lang_tag: str) -> bytes:
    """presentation.xml listing the deck's slides, with `lang_tag` as the proofing language of new text."""
    root = etree.fromstring(template.parts[template.presentation].blob)
    id_list = root.find(f"{{{_P}}}sldIdLst")
    for slide_id, rid in enumerate(slide_rids, 256):
        el = etree.SubElement(id_list, f"{{{_P}}}sldId")
        el.set("id", str(slide_id))
        el.set(f"{{{_R}}}id", rid)
    for rpr in root.iter(f"{{{_A}}}defRPr"):
        rpr.set("lang", lang_tag)
    return xml_bytes(root)


_CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def core_xml(template: TemplateParts, values: list[tuple[str, str]]) -> bytes:
    """core.xml with each ("prefix:name", text) set in turn, a missing element appended as
    python-pptx appends it; dcterms dates get their xsi:type, declared on the root."""
    root = etree.fromstring(template.parts[template.core].blob)
    for name, value in values:
        prefix, local = name.split(":")
        tag = f"{{{_CORE_NS[prefix]}}}{local}"
        el = root.find(tag)
        if el is None:
            el = etree.SubElement(root, tag, nsmap={prefix: _CORE_NS[prefix]})
        el.text = value
        if prefix == "dcterms":
            root.set(f"{{{_XSI}}}foo", "bar")  # python-pptx's way to declare xsi on the root
            el.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
            del root.attrib[f"{{{_XSI}}}foo"]
    return xml_bytes(root)
