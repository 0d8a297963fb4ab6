/*
 * registry.c — the one list of fact sources: every evidence importer and
 * every live collector kbdiag knows.  Add a source here and nowhere else.
 */
#include "facts.h"

const struct kbf_importer *const kbf_importers[] = {
	&kbf_snapshot_importer,
	&kbf_win_netstat_an_importer,
	&kbf_win_netstat_ano_importer,
	&kbf_win_netstat_abno_importer,
	&kbf_win_tasklist_importer,
	&kbf_win_tasklist_csv_importer,
	&kbf_win_systeminfo_importer,
	&kbf_win_systeminfo_csv_importer,
	&kbf_win_winmsd_importer,
	&kbf_msinfo_nfo_importer,
	&kbf_msinfo_text_importer,
	&kbf_win_sc_importer,
	&kbf_win_ipconfig_importer,
	&kbf_win_wmic_qfe_importer,
	&kbf_win_wmic_qfe_list_importer,
	&kbf_win_wmic_qfe_csv_importer,
	&kbf_reg_query_importer,
	&kbf_reg_file_importer,
	&kbf_reg_hive_importer,
	&kbf_wevtutil_xml_importer,
	&kbf_evtx_importer,
	&kbf_evt_importer,
	&kbf_eventlog_csv_importer,
	&kbf_eventlog_text_importer,
	&kbf_mail_error_importer,
	&kbf_win_file_versions_importer,
	&kbf_pe_version_importer,
	&kbf_ps_table_importer,
	&kbf_ps_list_importer,
	&kbf_ps_csv_importer,
	&kbf_ps_json_importer,
	&kbf_procnet_importer,
	&kbf_logfile_importer,
	&kbf_journal_export_importer,
	&kbf_journal_json_importer,
	&kbf_journal_file_importer,
	&kbf_osrelease_importer,
	&kbf_dpkg_importer,
	NULL,
};

const struct kbf_collector *const kbf_collectors[] = {
#ifndef _WIN32
	&kbf_linux_os_collector,
	&kbf_linux_addresses_collector,
	&kbf_linux_processes_collector,
	&kbf_linux_sockets_collector,
	&kbf_linux_services_collector,
	&kbf_linux_packages_collector,
	&kbf_linux_journal_collector,
	&kbf_linux_logs_collector,
	NULL,
#else
	/* facts/windows/live fills this */
	NULL,
#endif
};

const struct kbf_importer *kbf_importer_for(struct kbf_text *t)
{
	const struct kbf_importer *best = NULL;
	bool was = t->probing;
	t->probing = true;
	int best_score = 0;
	for (size_t i = 0; kbf_importers[i]; i++) {
		int score = kbf_importers[i]->probe(t);
		if (score > best_score) {
			best = kbf_importers[i];
			best_score = score;
		}
		if (best_score >= 100) /* certain: the rest need not read the file */
			break;
	}
	t->probing = was;
	return best;
}
