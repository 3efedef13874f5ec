#include "ingest/extraction_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kg {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void String(JsonWriter* w, const std::string& s) {
  w->String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void Span(JsonWriter* w, uint32_t begin, uint32_t end) {
  w->StartArray();
  w->Uint(begin);
  w->Uint(end);
  w->EndArray();
}

void Actor(JsonWriter* w, const ActorRef& a) {
  w->StartObject();
  w->Key("text");
  String(w, a.text);
  w->Key("name");
  String(w, a.name);
  w->Key("code");
  String(w, a.code);
  w->EndObject();
}

void MentionFields(JsonWriter* w, const Mention& m) {
  w->Key("sentence");
  w->Uint(m.sentence);
  w->Key("span");
  Span(w, m.begin, m.end);
  w->Key("quote");
  String(w, m.quote);
}

}  // namespace

std::string ExtractionToJson(const Extraction& x) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("id");
  String(&w, x.id);
  w.Key("events");
  w.StartArray();
  for (const Event& ev : x.events) {
    w.StartObject();
    w.Key("source");
    Actor(&w, ev.source);
    w.Key("relation");
    String(&w, ev.relation);
    w.Key("cameo");
    String(&w, ev.cameo);
    w.Key("goldstein");
    w.Double(ev.goldstein);
    w.Key("target");
    Actor(&w, ev.target);
    w.Key("negated");
    w.Bool(ev.negated);
    w.Key("attributed_to");
    if (ev.attributed_to) {
      String(&w, *ev.attributed_to);
    } else {
      w.Null();
    }
    if (!ev.mentions.empty()) MentionFields(&w, ev.mentions.front());
    w.Key("mentions");
    w.StartArray();
    for (const Mention& m : ev.mentions) {
      w.StartObject();
      MentionFields(&w, m);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("attributions");
  w.StartArray();
  for (const Attribution& a : x.attributions) {
    w.StartObject();
    w.Key("speaker");
    Actor(&w, a.speaker);
    w.Key("cue");
    String(&w, a.cue);
    w.Key("sentence");
    w.Uint(a.sentence);
    w.Key("cue_span");
    Span(&w, a.cue_begin, a.cue_end);
    w.Key("content_span");
    Span(&w, a.content_begin, a.content_end);
    w.Key("speaker_span");
    Span(&w, a.speaker_begin, a.speaker_end);
    w.EndObject();
  }
  w.EndArray();
  if (!x.triples.empty()) {
    w.Key("triples");
    w.StartArray();
    for (const OpenTriple& t : x.triples) {
      w.StartObject();
      w.Key("subject");
      String(&w, t.subject);
      w.Key("relation");
      String(&w, t.relation);
      w.Key("object");
      String(&w, t.object);
      w.Key("sentence");
      w.Uint(t.sentence);
      w.Key("negated");
      w.Bool(t.negated);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace kg
