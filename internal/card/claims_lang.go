package card

import (
	"strings"
	"unicode"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Two refinements of the open-source claim rule (claims.go), written as an auditor reads a card:
//
// Presupposition. "Tiny outperforms other open-source models", "compared with comparable
// open-source models" and "the best among open-source models" place the release among the
// open-source models: "other", "comparable", "similar", "fellow" or "among" before the phrase
// say the release is one of them, so the sentence is a claim even though it compares.
// "Tiny outperforms open-source models" is not: the release is only measured against them.
// The phrase must still qualify models ("other open-source libraries" says nothing about the
// release), and a negation still turns it around.
//
// Languages. Cards are written in many languages, and a claim is a claim in any of them:
// 开源/開源 (Chinese), オープンソース (Japanese), 오픈소스 (Korean), "código abierto" (Spanish),
// "código aberto" (Portuguese), "codice aperto" (Italian), "source ouverte" (French),
// "quelloffen" (German), "с открытым исходным кодом" (Russian), "mã nguồn mở" (Vietnamese),
// "açık kaynak" (Turkish), "sumber terbuka" (Indonesian), "otwartoźródłowy" (Polish),
// "مفتوح المصدر" (Arabic), "ओपन सोर्स" (Hindi), "โอเพนซอร์ส" (Thai); "open source" itself in French,
// Italian, Spanish or German sentences ("modèle open source", "Open-Source-Modell"). The same
// three questions are asked in each: is the release compared against them, is it negated, and
// what noun does the phrase qualify (after it in English, Chinese, Japanese and Korean; before
// it, across "de"/"di"/"с", in the Romance languages and Russian; inside the compound in
// German).
//
// Never from an address: "opensource@acme.org", "acme.org/opensource" or "opensource.acme.org"
// name a mailbox or a site, not the release.

// foreignClaimRe matches the phrase in languages other than English.
var foreignClaimRe = lazyre.New(`(?i)开源|開源|オープンソース|오픈\s?소스|c[óo]digo\s+(?:abierto|aberto)|codice\s+apert[oa]|sorgente\s+apert[oa]|source\s+ouverte?|quelloffen\p{L}*|otwartoźródłow\p{L}*|открыт\p{L}*\s+исходн\p{L}*\s+код\p{L}*|mã\s+nguồn\s+mở|açık\s+kaynak\p{L}*|sumber\s+terbuka|مفتوح(?:ة)?\s+المصدر|ओपन[\s-]?सोर्स|โอเพนซอร์ส`)

// presupposers before the phrase make the release one of the open-source things named.
var presupposers = map[string]bool{
	"other": true, "comparable": true, "similar": true, "fellow": true, "among": true, "amongst": true,
	"otros": true, "otras": true, "autres": true, "altri": true, "altre": true, "outros": true,
	"outras": true, "andere": true, "anderen": true, "anderer": true, "других": true, "другие": true,
	"diğer": true, "lain": true, "khác": true, "entre": true, "parmi": true, "tra": true, "unter": true,
}

// presupposersCJK are the same words in scripts without spaces.
var presupposersCJK = []string{"其他", "其它", "他の", "다른", "之一"}

// foreignComparisons are comparison words that make the release the one measured against them.
var foreignComparisons = lazyre.New(`(?i)(?:^|[^\p{L}])(?:supera|superior|supérieur|surpass|dépass|meilleur|mejor|miglior|rispetto|compar|confront|frente|übertr|besser|vergleich|gegenüber|превосход|лучше|сравнени|vượt|hơn|daha|lebih)|超越|优于|優於|超过|超過|相比|对比|對比|比べ|上回|능가|비교|보다`)

// modelNounsCJK and otherNounsCJK are what a CJK phrase qualifies when they follow it.
var (
	modelNounsCJK = []string{"模型", "大模型", "权重", "權重", "版本", "モデル", "重み", "모델", "가중치"}
	otherNounsCJK = []string{"社区", "社群", "社區", "项目", "項目", "代码", "代碼", "工具", "框架", "数据", "數據", "库", "庫",
		"语料", "語料", "评测", "評測", "链接", "連結", "实现", "實現", "方案", "算法", "コード",
		"软件", "軟體", "软体", "生态", "生態", "コミュニティ", "ライブラリ", "ツール", "プロジェクト", "データ", "ソフトウェア",
		"커뮤니티", "라이브러리", "도구", "프로젝트", "데이터", "소프트웨어"}
)

// modelBefore and otherBefore are the nouns a phrase qualifies when it follows them, as in the
// Romance languages and Russian ("modelo de código abierto", "communauté open source").
var (
	modelBefore = map[string]bool{
		"modelo": true, "modelos": true, "modèle": true, "modèles": true, "modello": true, "modelli": true,
		"pesos": true, "poids": true, "pesi": true, "llm": true, "модель": true, "модели": true, "моделью": true,
		"mô": true, "hình": true, "model": true, "modeli": true, "modelini": true, "bobot": true,
	}
	otherBefore = map[string]bool{
		"comunidad": true, "communauté": true, "comunità": true, "comunidade": true, "biblioteca": true,
		"bibliothèque": true, "librairie": true, "libreria": true, "herramienta": true, "herramientas": true,
		"outil": true, "outils": true, "strumento": true, "strumenti": true, "ferramenta": true,
		"ferramentas": true, "proyecto": true, "proyectos": true, "projet": true, "projets": true,
		"progetto": true, "progetti": true, "projeto": true, "projetos": true, "logiciel": true,
		"logiciels": true, "software": true, "datos": true, "données": true, "dati": true, "dados": true,
		"сообщество": true, "сообщества": true, "библиотека": true, "библиотеки": true, "проект": true,
		"проекты": true, "программное": true, "обеспечение": true, "cộng": true, "đồng": true,
		"topluluk": true, "topluluğu": true, "komunitas": true, "perangkat": true, "pustaka": true,
	}
	// linkWords stand between such a noun and the phrase.
	linkWords = map[string]bool{"de": true, "di": true, "en": true, "a": true, "à": true, "in": true, "с": true, "со": true, "em": true, "du": true, "des": true, "da": true}
)

// germanNouns are the heads of German compounds ("Open-Source-Modell", "Open-Source-Community").
var (
	germanModel = []string{"modell", "gewicht", "sprachmodell", "llm", "ki"}
	germanOther = []string{"community", "gemeinschaft", "bibliothek", "software", "projekt", "werkzeug", "tool",
		"daten", "framework", "code", "lizenz"}
)

// presupposes reports whether the words before the phrase place the release among the
// open-source things it names: "other", "comparable", "among" … within the last four words
// (skipping adjectives such as "leading"), or their CJK equivalents just before it.
func presupposes(prev []string, before string) bool {
	for i := len(prev) - 1; i >= 0 && i >= len(prev)-4; i-- {
		if presupposers[prev[i]] {
			return true
		}
	}
	tail := before[max(0, len(before)-12):]
	for _, p := range presupposersCJK {
		if strings.Contains(tail, p) {
			return true
		}
	}
	return false
}

// inAddress reports whether text[start:end] is part of an e-mail address, a URL or a host
// name: the whitespace-delimited token around it holds "@", "/" or "://", or a dot touches it
// with a letter on the other side ("opensource.acme.org").
func inAddress(text string, start, end int) bool {
	s, e := start, end
	for s > 0 && !isSpaceByte(text[s-1]) {
		s--
	}
	for e < len(text) && !isSpaceByte(text[e]) {
		e++
	}
	token := text[s:e]
	if strings.ContainsAny(token, "@/\\") || strings.Contains(token, "://") {
		return true
	}
	if start > 0 && text[start-1] == '.' && start > 1 && isWordByte(text[start-2]) {
		return true
	}
	return end+1 < len(text) && text[end] == '.' && isWordByte(text[end+1])
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' }

// nounBefore judges the phrase by the noun it follows (Romance languages, Russian): true or
// false when that noun decides, and whether it did.
func nounBefore(prev []string) (claim, decided bool) {
	for i := len(prev) - 1; i >= 0 && i >= len(prev)-3; i-- {
		w := prev[i]
		switch {
		case linkWords[w]:
			continue
		case otherBefore[w]:
			return false, true
		case modelBefore[w]:
			return true, true
		}
		return false, false
	}
	return false, false
}

// germanCompound judges "Open-Source-X": the head noun X decides.
func germanCompound(after string) (claim, decided bool) {
	if !strings.HasPrefix(after, "-") {
		return false, false
	}
	head := strings.ToLower(strings.TrimLeft(after, "-"))
	if i := strings.IndexFunc(head, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		head = head[:i]
	}
	for _, n := range germanOther {
		if strings.HasPrefix(head, n) {
			return false, true
		}
	}
	for _, n := range germanModel {
		if strings.HasPrefix(head, n) {
			return true, true
		}
	}
	return false, false
}

// isForeignClaim judges a match of foreignClaimRe at text[start:end].
func isForeignClaim(text string, start, end int) bool {
	if inAddress(text, start, end) {
		return false
	}
	before := strings.ToLower(sentenceBefore(text, start))
	prev := words(before)
	for i := len(prev) - 1; i >= 0 && i >= len(prev)-3; i-- {
		if negations[prev[i]] || foreignNegations[prev[i]] {
			return false
		}
	}
	if strings.HasSuffix(strings.TrimSpace(before), "非") || strings.HasSuffix(strings.TrimSpace(before), "不") {
		return false
	}
	if presupposes(prev, before) {
		return !qualifiesOther(text[end:])
	}
	if foreignComparisons.MatchString(before) || cjkAboutOther(text, start, end) {
		return false
	}
	if claim, ok := nounBefore(prev); ok {
		return claim
	}
	return !qualifiesOther(text[end:])
}

// foreignNegations are "not" and "without" in the languages above.
var foreignNegations = map[string]bool{
	"no": true, "ne": true, "pas": true, "non": true, "nicht": true, "kein": true, "keine": true, "sin": true,
	"sans": true, "senza": true, "sem": true, "не": true, "без": true, "không": true, "değil": true, "tidak": true, "bukan": true,
}

// qualifiesOther reports whether the words right after the phrase name something other than a
// model: a community, a library, data ("开源社区", "开源评测工具", "オープンソースのライブラリ").
// In CJK text the first model or other noun within the next few characters decides.
func qualifiesOther(after string) bool {
	if claim, ok := cjkNounAfter(after); ok {
		return !claim
	}
	for _, w := range clauseWords(after, wordsAfter) {
		if notModel[w] {
			return true
		}
		if isModel[w] {
			return false
		}
	}
	return false
}

// cjkWindow is how many characters after a CJK phrase its noun is looked for.
const cjkWindow = 10

// cjkNounAfter finds the first model or other noun in the few characters after a CJK phrase,
// up to punctuation.
func cjkNounAfter(after string) (claim, decided bool) {
	after = strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(after, "出"), "了"), " ")
	window := []rune(after[:min(len(after), cjkWindow*4)])
	window = window[:min(len(window), cjkWindow)]
	text := string(window)
	if i := strings.IndexAny(text, "，。；：,.;:!?！？、"); i >= 0 {
		text = text[:i]
	}
	first, claim := len(text), false
	for _, n := range modelNounsCJK {
		if i := strings.Index(text, n); i >= 0 && i < first {
			first, claim = i, true
		}
	}
	for _, n := range otherNounsCJK {
		if i := strings.Index(text, n); i >= 0 && i < first {
			first, claim = i, false
		}
	}
	return claim, first < len(text)
}

// cjkAboutOther reports whether a CJK clause is about something other than the model: its
// subject before the phrase is code or data ("本仓库的代码依照 Apache-2.0 协议开源"), or the
// sentence compares ("与…开源模型相比").
func cjkAboutOther(text string, start, end int) bool {
	clause := text[:start]
	if i := strings.LastIndexAny(clause, "，,。；;！？"); i >= 0 {
		clause = clause[i:]
	}
	hasModel := false
	for _, n := range modelNounsCJK {
		hasModel = hasModel || strings.Contains(clause, n)
	}
	for _, n := range otherNounsCJK {
		if strings.Contains(clause, n) && !hasModel {
			return true
		}
	}
	rest := text[end:]
	if i := strings.IndexAny(rest, "。！？"); i >= 0 {
		rest = rest[:i]
	}
	return strings.ContainsAny(clause, "与和跟同") && (strings.Contains(rest, "相比") || strings.Contains(rest, "相较"))
}
