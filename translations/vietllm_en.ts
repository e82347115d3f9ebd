<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Panels</name>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Create a project, open one, or pick up a recent one.</source>
        <translation>Create a project, open one, or pick up a recent one.</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Browse, clean and annotate the project&apos;s datasets.</source>
        <translation>Browse, clean and annotate the project&apos;s datasets.</translation>
    </message>
    <message>
        <source>Ranking</source>
        <translation>Ranking</translation>
    </message>
    <message>
        <source>Compare model answers side by side and rank them from the keyboard; the judgements become preference data.</source>
        <translation>Compare model answers side by side and rank them from the keyboard; the judgements become preference data.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Launch fine-tuning, reward-model and DPO runs on this computer and follow their loss curves live.</source>
        <translation>Launch fine-tuning, reward-model and DPO runs on this computer and follow their loss curves live.</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Chat with local models, compare two of them side by side and keep the better answer as a preference.</source>
        <translation>Chat with local models, compare two of them side by side and keep the better answer as a preference.</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Evaluation</translation>
    </message>
    <message>
        <source>Score models on Vietnamese benchmarks, measure agreement between annotators and compare runs.</source>
        <translation>Score models on Vietnamese benchmarks, measure agreement between annotators and compare runs.</translation>
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation>&amp;OK</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>Close without Saving</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cu&amp;t</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Paste</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Select All</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Show Details...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Hide Details...</translation>
    </message>
    <message>
        <source>About Qt</source>
        <translation>About Qt</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Save All</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Yes</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Yes to &amp;All</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;No</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>N&amp;o to All</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Abort</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Ignore</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Reset</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Restore Defaults</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::AboutDialog</name>
    <message>
        <source>About vietllm</source>
        <translation>About vietllm</translation>
    </message>
    <message>
        <source>A desktop workbench for the Vietnamese LLM community: dataset browsing and annotation, ranking, training, chat and evaluation, offline and in one program.</source>
        <translation>A desktop workbench for the Vietnamese LLM community: dataset browsing and annotation, ranking, training, chat and evaluation, offline and in one program.</translation>
    </message>
    <message>
        <source>Built with Qt %1; running on Qt %2.</source>
        <translation>Built with Qt %1; running on Qt %2.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::AnnotationPanel</name>
    <message>
        <source>Enter an annotator name first.</source>
        <translation>Enter an annotator name first.</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>&amp;Annotator:</source>
        <translation>&amp;Annotator:</translation>
    </message>
    <message>
        <source>&amp;Quality (1-5):</source>
        <translation>&amp;Quality (1-5):</translation>
    </message>
    <message>
        <source>&amp;Helpfulness (1-5):</source>
        <translation>&amp;Helpfulness (1-5):</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <source>Not Vietnamese</source>
        <translation>Not Vietnamese</translation>
    </message>
    <message>
        <source>Personal data (PII)</source>
        <translation>Personal data (PII)</translation>
    </message>
    <message>
        <source>Toxic</source>
        <translation>Toxic</translation>
    </message>
    <message>
        <source>Bad translation</source>
        <translation>Bad translation</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>N&amp;ote:</translation>
    </message>
    <message>
        <source>quality; 0 clears</source>
        <translation>quality; 0 clears</translation>
    </message>
    <message>
        <source>helpfulness; Alt+0 clears</source>
        <translation>helpfulness; Alt+0 clears</translation>
    </message>
    <message>
        <source>spam, not Vietnamese, PII, toxic, bad translation</source>
        <translation>spam, not Vietnamese, PII, toxic, bad translation</translation>
    </message>
    <message>
        <source>write a note / back to the table</source>
        <translation>write a note / back to the table</translation>
    </message>
    <message>
        <source>previous / next record</source>
        <translation>previous / next record</translation>
    </message>
    <message>
        <source>search</source>
        <translation>search</translation>
    </message>
    <message>
        <source>add, delete, move a turn</source>
        <translation>add, delete, move a turn</translation>
    </message>
    <message>
        <source>undo, redo, save the record</source>
        <translation>undo, redo, save the record</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::DataPanel</name>
    <message>
        <source>Datasets</source>
        <translation>Datasets</translation>
    </message>
    <message numerus="yes">
        <source>%n dataset(s), %1 records in all</source>
        <translation>
            <numerusform>%n dataset, %1 records in all</numerusform>
            <numerusform>%n datasets, %1 records in all</numerusform>
        </translation>
    </message>
    <message>
        <source>No project is open. Create a project (Ctrl+N) or open one (Ctrl+O) to see its datasets.</source>
        <translation>No project is open. Create a project (Ctrl+N) or open one (Ctrl+O) to see its datasets.</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>&amp;Open Project…</translation>
    </message>
    <message>
        <source>This project has no datasets yet. Import instruction or preference data from the command line, for example:

vietllm-cli project import PROJECT.vietllm --format alpaca FILE.json

Run vietllm-cli project --help for every format and option.</source>
        <translation>This project has no datasets yet. Import instruction or preference data from the command line, for example:

vietllm-cli project import PROJECT.vietllm --format alpaca FILE.json

Run vietllm-cli project --help for every format and option.</translation>
    </message>
    <message numerus="yes">
        <source>%1 record(s)</source>
        <translation>
            <numerusform>%1 record</numerusform>
            <numerusform>%1 records</numerusform>
        </translation>
    </message>
    <message>
        <source>%1+ records, still counting</source>
        <translation>%1+ records, still counting</translation>
    </message>
    <message>
        <source>Search messages (Ctrl+F): words, &quot;a phrase&quot;, prefix*</source>
        <translation>Search messages (Ctrl+F): words, &quot;a phrase&quot;, prefix*</translation>
    </message>
    <message>
        <source>Ignore &amp;diacritics</source>
        <translation>Ignore &amp;diacritics</translation>
    </message>
    <message>
        <source>Find &quot;hòa bình&quot; by typing &quot;hoa binh&quot; (đ matches d)</source>
        <translation>Find &quot;hòa bình&quot; by typing &quot;hoa binh&quot; (đ matches d)</translation>
    </message>
    <message>
        <source>Data&amp;set:</source>
        <translation>Data&amp;set:</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>So&amp;urce:</source>
        <translation>So&amp;urce:</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>Lan&amp;guage:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>La&amp;bel:</source>
        <translation>La&amp;bel:</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Any</translation>
    </message>
    <message>
        <source>&amp;Length:</source>
        <translation>&amp;Length:</translation>
    </message>
    <message>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <source>max</source>
        <translation>max</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::DatasetTableModel</name>
    <message>
        <source>Dataset</source>
        <translation>Dataset</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::MainWindow</name>
    <message>
        <source>vietllm projects (*.vietllm);;All files (*)</source>
        <translation>vietllm projects (*.vietllm);;All files (*)</translation>
    </message>
    <message>
        <source>Internal error: %1</source>
        <translation>Internal error: %1</translation>
    </message>
    <message>
        <source>Cannot create the project</source>
        <translation>Cannot create the project</translation>
    </message>
    <message>
        <source>The project %1 could not be created.

%2</source>
        <translation>The project %1 could not be created.

%2</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>Could not open %1</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>Cannot open the project</translation>
    </message>
    <message>
        <source>%1 could not be opened as a vietllm project.

%2</source>
        <translation>%1 could not be opened as a vietllm project.

%2</translation>
    </message>
    <message>
        <source>Project: %1</source>
        <translation>Project: %1</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>No project open</translation>
    </message>
    <message>
        <source>%1 — vietllm</source>
        <translation>%1 — vietllm</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>New Project</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Open Project</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;New Project…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>&amp;Open Project…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>&amp;Clear List</translation>
    </message>
    <message>
        <source>&amp;Close Project</source>
        <translation>&amp;Close Project</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About vietllm</source>
        <translation>&amp;About vietllm</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>About &amp;Qt</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::PlaceholderPanel</name>
    <message>
        <source>Not built yet: this panel will come in a later version.</source>
        <translation>Not built yet: this panel will come in a later version.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RecordEditor</name>
    <message>
        <source>level %1</source>
        <translation>level %1</translation>
    </message>
    <message>
        <source>rank %1</source>
        <translation>rank %1</translation>
    </message>
    <message>
        <source>chosen</source>
        <translation>chosen</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rejected</translation>
    </message>
    <message>
        <source>Saved; the text was normalized.</source>
        <translation>Saved; the text was normalized.</translation>
    </message>
    <message>
        <source>Record %1 · %2</source>
        <translation>Record %1 · %2</translation>
    </message>
    <message>
        <source>Select a record to see its turns.</source>
        <translation>Select a record to see its turns.</translation>
    </message>
    <message>
        <source>The project is open read-only.</source>
        <translation>The project is open read-only.</translation>
    </message>
    <message>
        <source>Preference pairs and conversation trees are shown read-only; conversations can be edited.</source>
        <translation>Preference pairs and conversation trees are shown read-only; conversations can be edited.</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <source>Add turn</source>
        <translation>Add turn</translation>
    </message>
    <message>
        <source>Delete turn</source>
        <translation>Delete turn</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RecordTableModel</name>
    <message>
        <source>conversation</source>
        <translation>conversation</translation>
    </message>
    <message>
        <source>preference pair</source>
        <translation>preference pair</translation>
    </message>
    <message>
        <source>conversation tree</source>
        <translation>conversation tree</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Dataset</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>First user message</source>
        <translation>First user message</translation>
    </message>
    <message>
        <source>Turns</source>
        <translation>Turns</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Length</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>Interface &amp;language:</source>
        <translation>Interface &amp;language:</translation>
    </message>
    <message>
        <source>The new language applies at once; no restart is needed.</source>
        <translation>The new language applies at once; no restart is needed.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::StartPage</name>
    <message>
        <source>A workbench for Vietnamese language models: prepare data, rank answers, train, chat and evaluate, all on this computer.</source>
        <translation>A workbench for Vietnamese language models: prepare data, rank answers, train, chat and evaluate, all on this computer.</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;New Project…</translation>
    </message>
    <message>
        <source>Create an empty project file (Ctrl+N)</source>
        <translation>Create an empty project file (Ctrl+N)</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>&amp;Open Project…</translation>
    </message>
    <message>
        <source>Open an existing project file (Ctrl+O)</source>
        <translation>Open an existing project file (Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Recent projects</source>
        <translation>&amp;Recent projects</translation>
    </message>
    <message>
        <source>No recent projects yet. Projects you open will be listed here.</source>
        <translation>No recent projects yet. Projects you open will be listed here.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TurnListModel</name>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>system</source>
        <translation>system</translation>
    </message>
    <message>
        <source>user</source>
        <translation>user</translation>
    </message>
    <message>
        <source>assistant</source>
        <translation>assistant</translation>
    </message>
</context>
</TS>
