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
 * when s does not start with it. */
static size_t match(const char *s, size_t len, const char *lit)
{
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
 * German XP (tests/fixtures/tasklist/xp-de-tasklist-v-utf8.txt). */
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

/* The keys of an event's properties as text.  English: evt_text.c's own
 * table (these rows are its translations).  German: Microsoft's Exchange
 * 2013 Help, de-DE, "Rückstaufunktion" (technet Bb201658), which quotes
 * events as "Ereignistyp: Fehler / Ereignisquelle: / Ereigniskategorie: /
 * Ereignis-ID: / Beschreibung:". */
static const struct kbf_label event_keys[] = {
	{"Ereignistyp", "event type"}, {"Ereignisquelle", "event source"},
	{"Ereigniskategorie", "event category"}, {"Ereignis-ID", "event id"},
	{"Beschreibung", "description"},
};
TABLE(kbf_labels_event_keys, event_keys);

/* Level words: English in event_util.c; German "Fehler", "Information"
 * from the Exchange page above. */
static const struct kbf_label event_levels[] = {
	{"Fehler", "Error"}, {"Information", "Information"},
};
TABLE(kbf_labels_event_levels, event_levels);
