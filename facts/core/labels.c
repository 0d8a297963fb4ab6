/*
 * labels.c — the labels localised Windows prints, one table per format,
 * and how a piece of text is matched against them (see labels.h).
 *
 * Every entry comes from a real output or from Microsoft's own localised
 * pages, named above its table; a language with no such source has no
 * entry (no translation is guessed).  Where the source is a file kept as
 * a fixture, tests/fixtures/SOURCES.md gives its origin and licence.
 */
#include <stdint.h>
#include <string.h>

#include "labels.h"
#include "utf8.h"

/* ---- matching ------------------------------------------------------------------- */

/* The code point at s (advancing *i); a byte that is not UTF-8 comes back
 * as it is, one at a time. */
static unsigned next_char(const char *s, size_t len, size_t *i)
{
	uint32_t c;
	size_t k = kbu_utf8_get(s + *i, len - *i, &c);
	if (!k) {
		c = (unsigned char)s[*i];
		k = 1;
	}
	*i += k;
	return c;
}

size_t kbf_label_blank(const char *s, size_t len)
{
	if (len && (s[0] == ' ' || s[0] == '\t'))
		return 1;
	if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if (len >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xAF)
		return 3;
	return 0;
}

/* How many bytes of s spell lit (case ignored, any blank for a space); 0
 * when s does not start with it.  Tables are asked of every event of an
 * export ("General": is it "None" in some language?), so a first ASCII
 * character that cannot fold to lit's ends it before any decoding. */
static size_t match(const char *s, size_t len, const char *lit)
{
	unsigned char s0 = len ? (unsigned char)s[0] : 0, l0 = (unsigned char)lit[0];
	if (l0 != ' ' && s0 < 0x80 && (l0 >= 0x80 || (s0 | 0x20) != (l0 | 0x20)))
		return 0; /* an ASCII letter folds to ASCII only, and another to it */
	size_t i = 0, k = 0;
	while (lit[k]) {
		if (i >= len)
			return 0;
		if (lit[k] == ' ') {
			size_t b = kbf_label_blank(s + i, len - i);
			if (!b)
				return 0;
			i += b, k++;
			continue;
		}
		/* lit ends in a NUL, which no sequence continues into */
		if (kbu_case_lower(next_char(s, len, &i)) != kbu_case_lower(next_char(lit, SIZE_MAX, &k)))
			return 0;
	}
	return i;
}

bool kbf_label_ieq(const char *s, size_t len, const char *lit)
{
	return match(s, len, lit) == len && (len || !*lit);
}

const char *kbf_label_find(const struct kbf_labels *t, const char *s, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (kbf_label_ieq(s, len, t->v[i].text))
			return t->v[i].english;
	return NULL;
}

const char *kbf_label_prefix(const struct kbf_labels *t, const char *s, size_t len, size_t *n)
{
	const char *best = NULL;
	*n = 0;
	for (size_t i = 0; i < t->n; i++) {
		size_t m = match(s, len, t->v[i].text);
		if (m > *n)
			*n = m, best = t->v[i].english;
	}
	return best;
}

/* U+FF1A, which Chinese text puts after a key. */
#define FULLWIDTH_COLON "\xEF\xBC\x9A"

const char *kbf_label_key(const struct kbf_labels *t, const char *s, size_t len, size_t *after)
{
	for (size_t i = 0; i < t->n; i++) {
		size_t m = match(s, len, t->v[i].text), b;
		if (!m)
			continue;
		while ((b = kbf_label_blank(s + m, len - m)) != 0)
			m += b;
		if (m < len && s[m] == ':') {
			*after = m + 1;
			return t->v[i].english;
		}
		if (m + 3 <= len && memcmp(s + m, FULLWIDTH_COLON, 3) == 0) {
			*after = m + 3;
			return t->v[i].english;
		}
	}
	return NULL;
}

#define TABLE(name, rows) const struct kbf_labels name = {rows, sizeof(rows) / sizeof(rows[0])}

/* ---- systeminfo ----------------------------------------------------------------- */

/* Sources (real outputs): wesng (github.com/bitsadmin/wesng, BSD-3-Clause,
 * commit 026a581d55d6) validation/ — 7_sp1_x64_ultimaten_de (German),
 * 7_sp1_x64_enterprise_fr_systeminfo_cmd and _powershell (French),
 * 10_1809_x64_education_es (Spanish), 10_1803_x64_pro_it (Italian),
 * srv_2012r2_x64_standard_ru (Russian), 10_1809_x64_enterprise_zh-cn
 * (Chinese), xp_*_systeminfo (Windows XP: "System type", "NetWork
 * Card(s)", matched by the case rule); Japanese: a Windows 7 output quoted
 * in a public GitHub README ("Get Your PC Information", host MyCowin7);
 * Brazilian Portuguese: a Windows 11 output pasted in a public GitHub
 * repository's notes (pt-br locale, Windows 11 Pro 10.0.26100); the search
 * index that found these two did not name their repositories. */
static const struct kbf_label systeminfo_keys[] = {
	{"Host Name", "Host Name"}, {"OS Name", "OS Name"}, {"OS Version", "OS Version"},
	{"OS Configuration", "OS Configuration"}, {"Domain", "Domain"}, {"System Type", "System Type"},
	{"Network Card(s)", "Network Card(s)"}, {"Hotfix(s)", "Hotfix(s)"},
	/* de */
	{"Hostname", "Host Name"}, {"Betriebssystemname", "OS Name"},
	{"Betriebssystemversion", "OS Version"}, {"Betriebssystemkonfiguration", "OS Configuration"},
	{"Domäne", "Domain"}, {"Systemtyp", "System Type"}, {"Netzwerkkarte(n)", "Network Card(s)"},
	{"Hotfix(es)", "Hotfix(s)"},
	/* fr */
	{"Nom de l'hôte", "Host Name"}, {"Nom du système d'exploitation", "OS Name"},
	{"Version du système", "OS Version"}, {"Configuration du système d'exploitation", "OS Configuration"},
	{"Domaine", "Domain"}, {"Type du système", "System Type"}, {"Carte(s) réseau", "Network Card(s)"},
	{"Correctif(s)", "Hotfix(s)"},
	/* es */
	{"Nombre de host", "Host Name"}, {"Nombre del sistema operativo", "OS Name"},
	{"Versión del sistema operativo", "OS Version"},
	{"Configuración del sistema operativo", "OS Configuration"}, {"Dominio", "Domain"},
	{"Tipo de sistema", "System Type"}, {"Tarjeta(s) de red", "Network Card(s)"},
	{"Revisión(es)", "Hotfix(s)"},
	/* it */
	{"Nome host", "Host Name"}, {"Nome SO", "OS Name"}, {"Versione SO", "OS Version"},
	{"Configurazione SO", "OS Configuration"}, {"Tipo sistema", "System Type"},
	{"Schede di rete", "Network Card(s)"}, {"Aggiornamenti rapidi", "Hotfix(s)"},
	/* pt-BR ("Tipo de sistema" and "Hotfix(es)" as in es and de) */
	{"Nome do host", "Host Name"}, {"Nome do sistema operacional", "OS Name"},
	{"Versão do sistema operacional", "OS Version"},
	{"Configuração do sistema operacional", "OS Configuration"}, {"Domínio", "Domain"},
	{"Placa(s) de Rede", "Network Card(s)"},
	/* ru */
	{"Имя узла", "Host Name"}, {"Название ОС", "OS Name"}, {"Версия ОС", "OS Version"},
	{"Параметры ОС", "OS Configuration"}, {"Домен", "Domain"}, {"Тип системы", "System Type"},
	{"Сетевые адаптеры", "Network Card(s)"}, {"Исправление(я)", "Hotfix(s)"},
	/* zh-CN */
	{"主机名", "Host Name"}, {"OS 名称", "OS Name"}, {"OS 版本", "OS Version"},
	{"OS 配置", "OS Configuration"}, {"域", "Domain"}, {"系统类型", "System Type"},
	{"网卡", "Network Card(s)"}, {"修补程序", "Hotfix(s)"},
	/* ja */
	{"ホスト名", "Host Name"}, {"OS 名", "OS Name"}, {"OS バージョン", "OS Version"},
	{"OS 構成", "OS Configuration"}, {"ドメイン", "Domain"}, {"システムの種類", "System Type"},
	{"ネットワーク カード", "Network Card(s)"}, {"ホットフィックス", "Hotfix(s)"},
};
TABLE(kbf_labels_systeminfo_keys, systeminfo_keys);

/* Same sources. */
static const struct kbf_label systeminfo_nic[] = {
	{"Connection Name", "Connection Name"}, {"IP address(es)", "IP address(es)"},
	{"Verbindungsname", "Connection Name"}, {"IP-Adresse(n)", "IP address(es)"},       /* de */
	{"Nom de la connexion", "Connection Name"}, {"Adresse(s) IP", "IP address(es)"},    /* fr */
	{"Nombre de conexión", "Connection Name"}, {"Direcciones IP", "IP address(es)"},    /* es */
	{"Nome connessione", "Connection Name"}, {"Indirizzi IP", "IP address(es)"},        /* it */
	{"Nome da conexão", "Connection Name"}, {"Endereço(es) IP", "IP address(es)"},      /* pt-BR */
	{"Имя подключения", "Connection Name"}, {"IP-адрес", "IP address(es)"},             /* ru */
	{"连接名", "Connection Name"}, {"IP 地址", "IP address(es)"},                       /* zh-CN */
	{"接続名", "Connection Name"}, {"IP アドレス", "IP address(es)"},                   /* ja */
};
TABLE(kbf_labels_systeminfo_nic, systeminfo_nic);

/* "6.1.7601 Service Pack 1 Build 7601": the word before the build number.
 * Same sources ("N/D build", "N/D Compilación", "version 7601",
 * "N/A compilação 26100", "Н/Д построение 9600", "暂缺 Build", "ビルド 7601"). */
static const struct kbf_label systeminfo_build[] = {
	{"Build", "Build"}, {"Compilación", "Build"}, {"version", "Build"}, {"compilação", "Build"},
	{"построение", "Build"}, {"ビルド", "Build"},
};
TABLE(kbf_labels_systeminfo_build, systeminfo_build);

/* OS Configuration, as the English prints it and as the samples above do. */
static const struct kbf_label systeminfo_roles[] = {
	{"Primary Domain Controller", "Primary Domain Controller"},
	{"Backup Domain Controller", "Backup Domain Controller"},
	{"Member Server", "Member Server"}, {"Standalone Server", "Standalone Server"},
	{"Member Workstation", "Member Workstation"}, {"Standalone Workstation", "Standalone Workstation"},
	{"Eigenständige Arbeitsstation", "Standalone Workstation"},               /* de */
	{"Station de travail autonome", "Standalone Workstation"},                /* fr */
	{"Estación de trabajo independiente", "Standalone Workstation"},          /* es */
	{"Workstation membro", "Member Workstation"},                             /* it */
	{"Estação de trabalho autônoma", "Standalone Workstation"},               /* pt-BR */
	{"Основной контроллер домена", "Primary Domain Controller"},              /* ru */
	{"独立工作站", "Standalone Workstation"},                                 /* zh-CN */
	{"スタンドアロン ワークステーション", "Standalone Workstation"},          /* ja */
};
TABLE(kbf_labels_systeminfo_roles, systeminfo_roles);

/* "N/A": English; "N/D" (it, es), "Н/Д" (ru), "暂缺" (zh-CN) from the
 * systeminfo samples above; "Nicht zutreffend" (de) from tasklist /v on
 * German XP (tests/fixtures/tasklist/xp-de-tasklist-v-utf8.txt).  Event
 * Viewer's User reads it too (the Russian Citrix blog post below quotes
 * "Пользователь: Н/Д"). */
static const struct kbf_label not_available[] = {
	{"N/A", "N/A"}, {"N/D", "N/A"}, {"Н/Д", "N/A"}, {"暂缺", "N/A"}, {"Nicht zutreffend", "N/A"},
};
TABLE(kbf_labels_not_available, not_available);

/* ---- sc ------------------------------------------------------------------------- */

/* The keys sc.exe prints (English, any case).  No real localised sc output
 * was found, so none is listed; the state, type and start type are read
 * from their numbers, which no language changes (sc.c). */
static const struct kbf_label sc_keys[] = {
	{"SERVICE_NAME", "SERVICE_NAME"}, {"DISPLAY_NAME", "DISPLAY_NAME"}, {"TYPE", "TYPE"},
	{"STATE", "STATE"}, {"START_TYPE", "START_TYPE"}, {"BINARY_PATH_NAME", "BINARY_PATH_NAME"},
	{"PID", "PID"}, {"WIN32_EXIT_CODE", "WIN32_EXIT_CODE"},
};
TABLE(kbf_labels_sc_keys, sc_keys);

/* ---- Event Viewer --------------------------------------------------------------- */

/* The keys of an event's properties as text, and the Vista viewer's column
 * names (the CSV header: the same words).  Each row maps to the lower-case
 * English key of evt_text.c's own table (these rows are its translations).
 *
 * NT 4.0 / 2000 / XP / 2003 properties (Event Type, Event Source, Event
 * Category, Event ID, Description): Microsoft's Exchange 2013 Help, "Back
 * pressure" (technet Bb201658), which quotes events 15004-15007 so in each
 * language; the MicrosoftDocs/OfficeDocs-Exchange-Test-pr.<lang> repositories
 * (CC-BY-4.0), Exchange-Server-2013/back-pressure-exchange-2013-help.md:
 * de-de 6e8012f9b7f7, es-es e6e74d129b92, fr-fr 918fa50fc769, it-it
 * 926f7f91179c, ja-jp 4168bd2a765b, pt-br 6b8511ff5f5c, ru-ru 4d79fcd4e29f,
 * zh-cn e7f86167a126 (es writes both "Id. de evento" and "Id. del evento";
 * zh a full-width colon, which kbf_label_key() accepts).
 *
 * Vista and later "Copy details as text" (Log Name, Source, Date, Event ID,
 * Task Category, Level, Keywords, User, Computer, Description, Event Xml),
 * from real copies pasted in public:
 *   de: pastebin.com/PEkRBWNL (DCOM 10001, 2018) and a 2010 SharePoint blog
 *       post kept in a public GitHub repository ("Protokollname: Application",
 *       "Ebene: Fehler"); the CSV header "Ebene,Datum und Uhrzeit,Quelle,
 *       Ereignis-ID,Aufgabenkategorie" from a German export quoted in a
 *       dataset catalogue's page on mdecrevoisier/EVTX-to-MITRE-Attack;
 *   fr: pastebin.com/vsJQNMBU (Service Control Manager 7036, 2015);
 *   ru: pastebin.com/9vysaRhv (DCOM 10016, 2018) and a 2011 Citrix blog post
 *       kept in a public GitHub repository (Application Error 1000);
 *   it: pastebin.com/K1ygxV76 (DCOM 10016, 2019);
 *   zh-CN: gist.github.com/VincentSit/4d7d0527e8b9885cfa1b037e27845b3f
 *       ("Windows 事件详情", DCOM 10016, 2019);
 *   ja: a Japanese blog post on shrinking a volume (Defrag 259, 2018) and
 *       Microsoft Japan support blogs (VSS 8229, DistributedCOM 10036, AD FS
 *       4625), kept in public GitHub repositories;
 *   pt-BR: no real copy was found; Microsoft's pt-BR pages quote the keys
 *       (Windows client "apps dimmed in the Start menu": Nome do log, Fonte,
 *       Data, ID do evento, Categoria da tarefa, Nível, Palavras-chave,
 *       Descrição; Azure "troubleshoot Remote Desktop Services": Usuário,
 *       Computador);
 *   es: no real copy was found; only the viewer's column names, as a
 *       Spanish tutorial kept on GitHub lists them ("Nivel", "Fecha y hora",
 *       "Origen", "Id. del evento"; evt_csv.c needs no date column name)
 *       and Microsoft's es-ES AD FS page writes "la columna Id. del evento".
 * The search index that found the blog posts did not name their
 * repositories.  Italian and Portuguese "Data" is the date: evt_text.c tells
 * it from the English Data (the hex dump) by its value. */
static const struct kbf_label event_keys[] = {
	/* de */
	{"Ereignistyp", "event type"}, {"Ereignisquelle", "event source"},
	{"Ereigniskategorie", "event category"}, {"Ereignis-ID", "event id"}, {"Beschreibung", "description"},
	{"Protokollname", "log name"}, {"Quelle", "source"}, {"Datum", "date"}, {"Aufgabenkategorie", "task category"},
	{"Ebene", "level"}, {"Schlüsselwörter", "keywords"}, {"Benutzer", "user"}, {"Ereignis-XML", "event xml"},
	/* es */
	{"Tipo de evento", "event type"}, {"Origen del evento", "event source"},
	{"Categoría del evento", "event category"}, {"Id. de evento", "event id"}, {"Id. del evento", "event id"},
	{"Descripción", "description"}, {"Nivel", "level"}, {"Origen", "source"},
	/* fr */
	{"Type d'événement", "event type"}, {"Source de l'événement", "event source"},
	{"Catégorie d'événement", "event category"}, {"ID de l'événement", "event id"},
	{"Nom du journal", "log name"}, {"ID de l’événement", "event id"}, {"Catégorie de la tâche", "task category"},
	{"Niveau", "level"}, {"Mots clés", "keywords"}, {"Utilisateur", "user"}, {"Ordinateur", "computer"},
	{"XML de l’événement", "event xml"},
	/* it */
	{"Tipo evento", "event type"}, {"Origine evento", "event source"}, {"Categoria evento", "event category"},
	{"ID evento", "event id"}, {"Descrizione", "description"}, {"Nome registro", "log name"},
	{"Origine", "source"}, {"Data", "date"}, {"Categoria attività", "task category"}, {"Livello", "level"},
	{"Parole chiave", "keywords"}, {"Utente", "user"}, {"XML evento", "event xml"},
	/* pt-BR */
	{"Tipo de Evento", "event type"}, {"Origem do Evento", "event source"},
	{"Categoria do Evento", "event category"}, {"ID do Evento", "event id"}, {"Descrição", "description"},
	{"Nome do log", "log name"}, {"Fonte", "source"}, {"Origem", "source"},
	{"Categoria da tarefa", "task category"}, {"Nível", "level"}, {"Palavras-chave", "keywords"},
	{"Usuário", "user"}, {"Computador", "computer"},
	/* ru */
	{"Тип события", "event type"}, {"Источник события", "event source"},
	{"Категория события", "event category"}, {"Код события", "event id"}, {"Описание", "description"},
	{"Имя журнала", "log name"}, {"Источник", "source"}, {"Дата", "date"}, {"Категория задачи", "task category"},
	{"Уровень", "level"}, {"Ключевые слова", "keywords"}, {"Пользователь", "user"}, {"Компьютер", "computer"},
	{"Xml события", "event xml"},
	/* zh-CN */
	{"事件类型", "event type"}, {"事件源", "event source"}, {"事件类别", "event category"},
	{"事件 ID", "event id"}, {"说明", "description"}, {"日志名称", "log name"}, {"来源", "source"},
	{"日期", "date"}, {"任务类别", "task category"}, {"级别", "level"}, {"关键字", "keywords"},
	{"用户", "user"}, {"计算机", "computer"}, {"描述", "description"}, {"事件 Xml", "event xml"},
	/* ja */
	{"イベントの種類", "event type"}, {"イベント ソース", "event source"}, {"イベント カテゴリ", "event category"},
	{"イベント ID", "event id"}, {"説明", "description"}, {"ログの名前", "log name"}, {"ソース", "source"},
	{"日付", "date"}, {"タスクのカテゴリ", "task category"}, {"レベル", "level"}, {"キーワード", "keywords"},
	{"ユーザー", "user"}, {"コンピューター", "computer"}, {"イベント XML", "event xml"},
};
TABLE(kbf_labels_event_keys, event_keys);

/* Level (type) words -> the English word (the English ones are
 * event_util.c's).  Error and Information in every language: the Exchange
 * 2013 "Back pressure" pages above.  Further, from the real outputs above:
 * de "Informationen" (the CSV export); zh-CN "警告" (the gists' event
 * lists, VincentSit 105b8592 and 82aaf172); ja "警告" (Microsoft Japan's
 * VSS 8229 quote).  fr "Avertissement": Microsoft's French Event Viewer
 * help, its table of common event properties (help topic 386a877a,
 * mirrored at forsenergy.com/fr-fr/eventviewer).  ru "Предупреждение",
 * "Аудит успехов", "Аудит отказов": the Russian Windows Event Viewer help
 * ("Типы событий") as quoted on a public archive page (arhivach.hk
 * 2-ch.ru/s/10381).  ja "失敗の監査" is the Keywords value of an audit
 * failure (Microsoft Japan's AD FS 4625 quote); the Security log shows it
 * there, not under Level.  de "Warnung": a German SharePoint 2010 event
 * copied from Event Viewer ("Ebene: Warnung", Daniel Nitz's blog post of
 * 2010-08-09 kept in a public GitHub repository the index did not name).
 * es "Advertencia": a Spanish forensic lab report walking through a
 * System log in Event Viewer ("Event ID 12 (BTHUSB) — Nivel: Advertencia",
 * public GitHub repository, not named).  Words with no such source
 * (Critical, Verbose, Warning in Italian and Portuguese, most audit words)
 * are not listed. */
static const struct kbf_label event_levels[] = {
	{"Fehler", "Error"}, {"Informationen", "Information"}, {"Warnung", "Warning"},               /* de */
	{"Información", "Information"}, {"Advertencia", "Warning"},                                 /* es */
	{"Erreur", "Error"}, {"Informations", "Information"}, {"Avertissement", "Warning"},          /* fr */
	{"Errore", "Error"}, {"Informazioni", "Information"},                                       /* it */
	{"Erro", "Error"}, {"Informações", "Information"},                                          /* pt-BR */
	{"Ошибка", "Error"}, {"Сведения", "Information"}, {"Предупреждение", "Warning"},            /* ru */
	{"Аудит успехов", "Audit Success"}, {"Аудит отказов", "Audit Failure"},
	{"错误", "Error"}, {"信息", "Information"}, {"警告", "Warning"},                            /* zh-CN, ja */
	{"エラー", "Error"}, {"情報", "Information"}, {"失敗の監査", "Audit Failure"},              /* ja */
};
TABLE(kbf_labels_event_levels, event_levels);

/* Task Category "None" as the real copies above print it (English "None"
 * is read as no category): de "Keine", fr "Aucun", it "Nessuna", ru
 * "Отсутствует", zh-CN "无", ja "なし". */
static const struct kbf_label event_none[] = {
	{"None", "None"}, {"Keine", "None"}, {"Aucun", "None"}, {"Nessuna", "None"}, {"Отсутствует", "None"},
	{"无", "None"}, {"なし", "None"},
};
TABLE(kbf_labels_event_none, event_none);

/* The AM/PM marker after a time ("6:38:24 PM").  Spanish (Mexico) prints
 * "a. m." and "p. m.": systeminfo's "Tiempo de arranque del sistema:
 * 14/01/2023, 10:17:27 a. m." as pasted in a public GitHub repository (the
 * index did not name it); Event Viewer writes times in the same locale
 * format.  No real output with another language's marker (上午, 午前, ...)
 * was found: Chinese and Japanese exports use 24-hour times. */
static const struct kbf_label time_ampm[] = {
	{"AM", "AM"}, {"PM", "PM"}, {"a. m.", "AM"}, {"p. m.", "PM"},
};
TABLE(kbf_labels_time_ampm, time_ampm);
