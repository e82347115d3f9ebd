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
    <message>
        <source>Done %1 / %2 records, %3 skipped, %4 drafts</source>
        <translation>Done %1 / %2 records, %3 skipped, %4 drafts</translation>
    </message>
    <message>
        <source>Labels of the selected message</source>
        <translation>Labels of the selected message</translation>
    </message>
    <message>
        <source>mark done (a draft until then), next record</source>
        <translation>mark done (a draft until then), next record</translation>
    </message>
    <message>
        <source>skip the record, next record</source>
        <translation>skip the record, next record</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::BulkActionDialog</name>
    <message>
        <source>Run text checks…</source>
        <translation>Run text checks…</translation>
    </message>
    <message>
        <source>Find duplicates…</source>
        <translation>Find duplicates…</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>Add tag…</translation>
    </message>
    <message>
        <source>Remove tag…</source>
        <translation>Remove tag…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <source>Move or copy to dataset…</source>
        <translation>Move or copy to dataset…</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Records</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected record(s)</source>
        <translation>
            <numerusform>The %n selected record</numerusform>
            <numerusform>The %n selected records</numerusform>
        </translation>
    </message>
    <message>
        <source>All records matching the current filter (%1)</source>
        <translation>All records matching the current filter (%1)</translation>
    </message>
    <message>
        <source>Normalize the text (NFC, tone marks, spaces), as saving does</source>
        <translation>Normalize the text (NFC, tone marks, spaces), as saving does</translation>
    </message>
    <message>
        <source>Identify the language (label lang:xx; fills message languages)</source>
        <translation>Identify the language (label lang:xx; fills message languages)</translation>
    </message>
    <message>
        <source>Flag quality, PII and toxicity problems (labels check:…)</source>
        <translation>Flag quality, PII and toxicity problems (labels check:…)</translation>
    </message>
    <message>
        <source>Also near duplicates (MinHash)</source>
        <translation>Also near duplicates (MinHash)</translation>
    </message>
    <message>
        <source>Tag them &quot;duplicate&quot;</source>
        <translation>Tag them &quot;duplicate&quot;</translation>
    </message>
    <message>
        <source>Delete them</source>
        <translation>Delete them</translation>
    </message>
    <message>
        <source>Similarity from:</source>
        <translation>Similarity from:</translation>
    </message>
    <message>
        <source>Duplicates (the first of each group is kept):</source>
        <translation>Duplicates (the first of each group is kept):</translation>
    </message>
    <message>
        <source>Tag:</source>
        <translation>Tag:</translation>
    </message>
    <message>
        <source>Move (with labels and rankings)</source>
        <translation>Move (with labels and rankings)</translation>
    </message>
    <message>
        <source>Copy (the data only)</source>
        <translation>Copy (the data only)</translation>
    </message>
    <message>
        <source>an existing dataset or a new name</source>
        <translation>an existing dataset or a new name</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Action:</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Dataset:</translation>
    </message>
    <message>
        <source>The records are deleted with their labels and rankings.</source>
        <translation>The records are deleted with their labels and rankings.</translation>
    </message>
    <message>
        <source>You confirm the number of records before anything changes.</source>
        <translation>You confirm the number of records before anything changes.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ChatListModel</name>
    <message>
        <source>Untitled chat</source>
        <translation>Untitled chat</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Updated %1</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ChatModelListModel</name>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>%1 › step %2 (%3)</source>
        <translation>%1 › step %2 (%3)</translation>
    </message>
    <message>
        <source>%1 › checkpoint (%2)</source>
        <translation>%1 › checkpoint (%2)</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ChatPanel</name>
    <message>
        <source>token limit reached</source>
        <translation>token limit reached</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>finished</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>context full</source>
        <translation>context full</translation>
    </message>
    <message>
        <source>First token %1 ms · %2 tokens/s · %3 tokens · %4</source>
        <translation>First token %1 ms · %2 tokens/s · %3 tokens · %4</translation>
    </message>
    <message>
        <source>You</source>
        <translation>You</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <source>Precise</source>
        <translation>Precise</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>Balanced</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>Creative</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>Education</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>Medicine</translation>
    </message>
    <message>
        <source>Finance</source>
        <translation>Finance</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Loading the model…</translation>
    </message>
    <message>
        <source>Loaded: %1</source>
        <translation>Loaded: %1</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>No model loaded</translation>
    </message>
    <message>
        <source>The model could not be loaded: %1</source>
        <translation>The model could not be loaded: %1</translation>
    </message>
    <message>
        <source>Loading cancelled</source>
        <translation>Loading cancelled</translation>
    </message>
    <message>
        <source>Rename chat</source>
        <translation>Rename chat</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Title:</translation>
    </message>
    <message>
        <source>Delete chat</source>
        <translation>Delete chat</translation>
    </message>
    <message>
        <source>Delete this chat and all its messages? This cannot be undone.</source>
        <translation>Delete this chat and all its messages? This cannot be undone.</translation>
    </message>
    <message>
        <source>Add model folder</source>
        <translation>Add model folder</translation>
    </message>
    <message>
        <source>Save system prompt</source>
        <translation>Save system prompt</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <source>No system prompt</source>
        <translation>No system prompt</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>Saved: %1</translation>
    </message>
    <message>
        <source>Open a project to keep chats and register models.</source>
        <translation>Open a project to keep chats and register models.</translation>
    </message>
    <message>
        <source>Open a project first: models are registered in the project.</source>
        <translation>Open a project first: models are registered in the project.</translation>
    </message>
    <message>
        <source>The folder was not added: %1</source>
        <translation>The folder was not added: %1</translation>
    </message>
    <message>
        <source>Add a model folder (Hugging Face format) to start chatting.</source>
        <translation>Add a model folder (Hugging Face format) to start chatting.</translation>
    </message>
    <message>
        <source>Needs about %1: %2 parameters (%3) + KV cache %4 at %5 tokens</source>
        <translation>Needs about %1: %2 parameters (%3) + KV cache %4 at %5 tokens</translation>
    </message>
    <message>
        <source>Detected template: unknown (plain text is used)</source>
        <translation>Detected template: unknown (plain text is used)</translation>
    </message>
    <message>
        <source>Detected template: %1</source>
        <translation>Detected template: %1</translation>
    </message>
    <message>
        <source>Choose a model first (Add model folder…).</source>
        <translation>Choose a model first (Add model folder…).</translation>
    </message>
    <message>
        <source>The message to answer is no longer in this chat.</source>
        <translation>The message to answer is no longer in this chat.</translation>
    </message>
    <message>
        <source>A reply is empty, so there is nothing to compare; send the prompt again.</source>
        <translation>A reply is empty, so there is nothing to compare; send the prompt again.</translation>
    </message>
    <message>
        <source>No reply: %1</source>
        <translation>No reply: %1</translation>
    </message>
    <message>
        <source>Saved to &quot;%1&quot;. Left: %2 (%3) · Right: %4 (%5)</source>
        <translation>Saved to &quot;%1&quot;. Left: %2 (%3) · Right: %4 (%5)</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>Copied to the clipboard.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>drafts kept: %1</source>
        <translation>drafts kept: %1</translation>
    </message>
    <message>
        <source>*Type a message below and press Ctrl+Enter to send it.*</source>
        <translation>*Type a message below and press Ctrl+Enter to send it.*</translation>
    </message>
    <message>
        <source>*Open a project to chat.*</source>
        <translation>*Open a project to chat.*</translation>
    </message>
    <message>
        <source>Resend (Ctrl+Enter)</source>
        <translation>Resend (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>Send (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Generating…</translation>
    </message>
    <message>
        <source>Chat playground</source>
        <translation>Chat playground</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Rename…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Model:</translation>
    </message>
    <message>
        <source>Add model folder…</source>
        <translation>Add model folder…</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Precision:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Device:</translation>
    </message>
    <message>
        <source>This build runs models on the CPU; other devices are not offered.</source>
        <translation>This build runs models on the CPU; other devices are not offered.</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>Threads:</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Load</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Message (Ctrl+Enter sends)</source>
        <translation>Message (Ctrl+Enter sends)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Regenerate</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Preset:</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>Temperature:</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p:</translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation>Top-k:</translation>
    </message>
    <message>
        <source>off</source>
        <translation>off</translation>
    </message>
    <message>
        <source>Min-p:</source>
        <translation>Min-p:</translation>
    </message>
    <message>
        <source>Repetition penalty:</source>
        <translation>Repetition penalty:</translation>
    </message>
    <message>
        <source>Max tokens:</source>
        <translation>Max tokens:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>Template:</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>System prompt</translation>
    </message>
    <message>
        <source>Save as preset…</source>
        <translation>Save as preset…</translation>
    </message>
    <message>
        <source>A/B comparison</source>
        <translation>A/B comparison</translation>
    </message>
    <message>
        <source>A/B mode (blind, side by side)</source>
        <translation>A/B mode (blind, side by side)</translation>
    </message>
    <message>
        <source>Model B:</source>
        <translation>Model B:</translation>
    </message>
    <message>
        <source>Preset B:</source>
        <translation>Preset B:</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>Right</translation>
    </message>
    <message>
        <source>Left better</source>
        <translation>Left better</translation>
    </message>
    <message>
        <source>Right better</source>
        <translation>Right better</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>Tie</translation>
    </message>
    <message>
        <source>Both bad</source>
        <translation>Both bad</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::CheckpointListModel</name>
    <message>
        <source>LoRA adapter</source>
        <translation>LoRA adapter</translation>
    </message>
    <message>
        <source>full model</source>
        <translation>full model</translation>
    </message>
    <message>
        <source>Final (%1)</source>
        <translation>Final (%1)</translation>
    </message>
    <message>
        <source>Step %1 (%2)</source>
        <translation>Step %1 (%2)</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ConflictTableModel</name>
    <message>
        <source>no order</source>
        <translation>no order</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>Rankings</source>
        <translation>Rankings</translation>
    </message>
    <message>
        <source>Mean τ to consensus</source>
        <translation>Mean τ to consensus</translation>
    </message>
    <message>
        <source>Not rankable</source>
        <translation>Not rankable</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ConsensusView</name>
    <message>
        <source>Merging pack %1 of %2…</source>
        <translation>Merging pack %1 of %2…</translation>
    </message>
    <message numerus="yes">
        <source>Merged %n pack(s): %1 rankings and %2 labels changed.</source>
        <translation>
            <numerusform>Merged %n pack: %1 rankings and %2 labels changed.</numerusform>
            <numerusform>Merged %n packs: %1 rankings and %2 labels changed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pack(s) were already merged.</source>
        <translation>
            <numerusform>%n pack was already merged.</numerusform>
            <numerusform>%n packs were already merged.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>Stopped: %1</translation>
    </message>
    <message>
        <source>Merge returned task packs</source>
        <translation>Merge returned task packs</translation>
    </message>
    <message>
        <source>Task packs (*.vlpack)</source>
        <translation>Task packs (*.vlpack)</translation>
    </message>
    <message>
        <source>Cannot read the annotations: %1</source>
        <translation>Cannot read the annotations: %1</translation>
    </message>
    <message>
        <source>Rankings: %1 tasks ranked by two or more annotators, %2 annotators, %3 pairs of rankings.</source>
        <translation>Rankings: %1 tasks ranked by two or more annotators, %2 annotators, %3 pairs of rankings.</translation>
    </message>
    <message>
        <source>Mean Kendall τ-b: %1; pairwise agreement: %2.</source>
        <translation>Mean Kendall τ-b: %1; pairwise agreement: %2.</translation>
    </message>
    <message>
        <source>Labels (Krippendorff&apos;s α; 0.667 is the usual floor, 0.8 good):</source>
        <translation>Labels (Krippendorff&apos;s α; 0.667 is the usual floor, 0.8 good):</translation>
    </message>
    <message>
        <source>No labels yet.</source>
        <translation>No labels yet.</translation>
    </message>
    <message>
        <source>nominal</source>
        <translation>nominal</translation>
    </message>
    <message>
        <source>ordinal</source>
        <translation>ordinal</translation>
    </message>
    <message>
        <source>interval</source>
        <translation>interval</translation>
    </message>
    <message>
        <source>%1 (%2): α = %3 over %4 items, %5 annotators</source>
        <translation>%1 (%2): α = %3 over %4 items, %5 annotators</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Leaderboard</translation>
    </message>
    <message>
        <source>Merge packs…</source>
        <translation>Merge packs…</translation>
    </message>
    <message>
        <source>Merge task packs returned by annotators into this project</source>
        <translation>Merge task packs returned by annotators into this project</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Not loaded yet.</source>
        <translation>Not loaded yet.</translation>
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
    <message>
        <source>%1+, counted before anything changes</source>
        <translation>%1+, counted before anything changes</translation>
    </message>
    <message>
        <source>Counting the matching records…</source>
        <translation>Counting the matching records…</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation>Cancelled; nothing was changed.</translation>
    </message>
    <message>
        <source>Nothing was changed: %1</source>
        <translation>Nothing was changed: %1</translation>
    </message>
    <message>
        <source>No records to work on: select some, or choose every record matching the filter.</source>
        <translation>No records to work on: select some, or choose every record matching the filter.</translation>
    </message>
    <message numerus="yes">
        <source>Run the text checks on %1 record(s)?</source>
        <translation>
            <numerusform>Run the text checks on %1 record?</numerusform>
            <numerusform>Run the text checks on %1 records?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Look for duplicates among %1 record(s) and delete them, keeping the first of each group? This cannot be undone.</source>
        <translation>
            <numerusform>Look for duplicates among %1 record and delete them, keeping the first of each group? This cannot be undone.</numerusform>
            <numerusform>Look for duplicates among %1 records and delete them, keeping the first of each group? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Look for duplicates among %1 record(s) and tag them?</source>
        <translation>
            <numerusform>Look for duplicates among %1 record and tag them?</numerusform>
            <numerusform>Look for duplicates among %1 records and tag them?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Tag %1 record(s) &quot;%2&quot;?</source>
        <translation>
            <numerusform>Tag %1 record &quot;%2&quot;?</numerusform>
            <numerusform>Tag %1 records &quot;%2&quot;?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove the tag &quot;%2&quot; from %1 record(s)?</source>
        <translation>
            <numerusform>Remove the tag &quot;%2&quot; from %1 record?</numerusform>
            <numerusform>Remove the tag &quot;%2&quot; from %1 records?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %1 record(s) with their labels and rankings? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %1 record with its labels and rankings? This cannot be undone.</numerusform>
            <numerusform>Delete %1 records with their labels and rankings? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %1 record(s) to dataset &quot;%2&quot;?</source>
        <translation>
            <numerusform>Move %1 record to dataset &quot;%2&quot;?</numerusform>
            <numerusform>Move %1 records to dataset &quot;%2&quot;?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copy %1 record(s) to dataset &quot;%2&quot;?</source>
        <translation>
            <numerusform>Copy %1 record to dataset &quot;%2&quot;?</numerusform>
            <numerusform>Copy %1 records to dataset &quot;%2&quot;?</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Nothing was changed.</translation>
    </message>
    <message>
        <source>%1 of %2 records changed.</source>
        <translation>%1 of %2 records changed.</translation>
    </message>
    <message>
        <source>Labels and findings: %1.</source>
        <translation>Labels and findings: %1.</translation>
    </message>
    <message>
        <source>Tagged %1 records &quot;%2&quot;.</source>
        <translation>Tagged %1 records &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>Removed the tag &quot;%2&quot; from %1 records.</source>
        <translation>Removed the tag &quot;%2&quot; from %1 records.</translation>
    </message>
    <message>
        <source>Deleted %1 records.</source>
        <translation>Deleted %1 records.</translation>
    </message>
    <message>
        <source>Moved %1 records to dataset &quot;%2&quot;.</source>
        <translation>Moved %1 records to dataset &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>Copied %1 records to dataset &quot;%2&quot;.</source>
        <translation>Copied %1 records to dataset &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>This project has no datasets yet. Import instruction or preference data (Alpaca, Dolly, ShareGPT, prompt-response, Open-Assistant trees, HH-RLHF, messages, preference pairs), or from the command line, for example:

vietllm-cli project import PROJECT.vietllm --format alpaca FILE.json</source>
        <translation>This project has no datasets yet. Import instruction or preference data (Alpaca, Dolly, ShareGPT, prompt-response, Open-Assistant trees, HH-RLHF, messages, preference pairs), or from the command line, for example:

vietllm-cli project import PROJECT.vietllm --format alpaca FILE.json</translation>
    </message>
    <message>
        <source>&amp;Import Data…</source>
        <translation>&amp;Import Data…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Import…</translation>
    </message>
    <message>
        <source>Import data files into a new or existing dataset</source>
        <translation>Import data files into a new or existing dataset</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xport…</translation>
    </message>
    <message>
        <source>Write datasets or the records matching the filter to a file</source>
        <translation>Write datasets or the records matching the filter to a file</translation>
    </message>
    <message>
        <source>Bulk &amp;actions</source>
        <translation>Bulk &amp;actions</translation>
    </message>
    <message>
        <source>Text checks, duplicates, tags, delete (Del), move or copy: on the selected records or on every record matching the filter</source>
        <translation>Text checks, duplicates, tags, delete (Del), move or copy: on the selected records or on every record matching the filter</translation>
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
    <name>vietllm::widgets::EngineWorker</name>
    <message>
        <source>Stopped before the reply started.</source>
        <translation>Stopped before the reply started.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvalLeaderboardModel</name>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Mean</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvalTaskModel</name>
    <message>
        <source>missing</source>
        <translation>missing</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metric</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Items</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationCharts</name>
    <message>
        <source>%1 by model</source>
        <translation>%1 by model</translation>
    </message>
    <message>
        <source>%1 by training step</source>
        <translation>%1 by training step</translation>
    </message>
    <message>
        <source>Select finished runs to chart them</source>
        <translation>Select finished runs to chart them</translation>
    </message>
    <message>
        <source>step</source>
        <translation>step</translation>
    </message>
    <message>
        <source>&amp;Metric:</source>
        <translation>&amp;Metric:</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationItemModel</name>
    <message>
        <source>Prompt:</source>
        <translation>Prompt:</translation>
    </message>
    <message>
        <source>Choices:</source>
        <translation>Choices:</translation>
    </message>
    <message>
        <source>Model output:</source>
        <translation>Model output:</translation>
    </message>
    <message>
        <source>Reference:</source>
        <translation>Reference:</translation>
    </message>
    <message>
        <source>Score: %1</source>
        <translation>Score: %1</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Correct</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>Wrong</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Output</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Reference</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationJob</name>
    <message>
        <source>exit code %1</source>
        <translation>exit code %1</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationPanel</name>
    <message>
        <source>Model %1 of %2: %3</source>
        <translation>Model %1 of %2: %3</translation>
    </message>
    <message>
        <source>%1 / step %2</source>
        <translation>%1 / step %2</translation>
    </message>
    <message>
        <source>%1 / final</source>
        <translation>%1 / final</translation>
    </message>
    <message>
        <source>(LoRA adapter: export it merged first)</source>
        <translation>(LoRA adapter: export it merged first)</translation>
    </message>
    <message>
        <source>An endpoint needs its URL (http://host:8000/v1) and a model name.</source>
        <translation>An endpoint needs its URL (http://host:8000/v1) and a model name.</translation>
    </message>
    <message>
        <source>Choose a model folder (config.json, *.safetensors)</source>
        <translation>Choose a model folder (config.json, *.safetensors)</translation>
    </message>
    <message>
        <source>Open a project first: the results are stored in it.</source>
        <translation>Open a project first: the results are stored in it.</translation>
    </message>
    <message>
        <source>Check at least one model and one task.</source>
        <translation>Check at least one model and one task.</translation>
    </message>
    <message numerus="yes">
        <source>Evaluating %n model(s)…</source>
        <translation>
            <numerusform>Evaluating %n model…</numerusform>
            <numerusform>Evaluating %n models…</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopping after the current chunk…</source>
        <translation>Stopping after the current chunk…</translation>
    </message>
    <message>
        <source>Stopped; the interrupted run is stored as cancelled.</source>
        <translation>Stopped; the interrupted run is stored as cancelled.</translation>
    </message>
    <message>
        <source>Evaluation finished.</source>
        <translation>Evaluation finished.</translation>
    </message>
    <message>
        <source>No items</source>
        <translation>No items</translation>
    </message>
    <message>
        <source>Page %1 of %2 (%3 items)</source>
        <translation>Page %1 of %2 (%3 items)</translation>
    </message>
    <message>
        <source>Select the runs to export.</source>
        <translation>Select the runs to export.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n run(s) to %1.</source>
        <translation>
            <numerusform>Exported %n run to %1.</numerusform>
            <numerusform>Exported %n runs to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export as Markdown</source>
        <translation>Export as Markdown</translation>
    </message>
    <message>
        <source>Export as JSON</source>
        <translation>Export as JSON</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Models</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Tasks</translation>
    </message>
    <message>
        <source>Registered models and checkpoints, training run checkpoints, folders and endpoints; each checked one is evaluated in turn:</source>
        <translation>Registered models and checkpoints, training run checkpoints, folders and endpoints; each checked one is evaluated in turn:</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Add folder…</translation>
    </message>
    <message>
        <source>Endpoint URL (http://host:8000/v1)</source>
        <translation>Endpoint URL (http://host:8000/v1)</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>Model name</translation>
    </message>
    <message>
        <source>Add endpoint</source>
        <translation>Add endpoint</translation>
    </message>
    <message>
        <source>Tasks (resources/eval/tasks; items counted in the data found):</source>
        <translation>Tasks (resources/eval/tasks; items counted in the data found):</translation>
    </message>
    <message>
        <source>&amp;Limit (items per task, 0 = all):</source>
        <translation>&amp;Limit (items per task, 0 = all):</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>&amp;Batch size:</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>&amp;Precision:</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Run</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;top</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>Export JSON…</translation>
    </message>
    <message>
        <source>Export Markdown…</source>
        <translation>Export Markdown…</translation>
    </message>
    <message>
        <source>Best headline score per task for each model across all finished runs; the mean is over the tasks where higher is better (bits per byte is left out).</source>
        <translation>Best headline score per task for each model across all finished runs; the mean is over the tasks where higher is better (bits per byte is left out).</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Runs and charts</source>
        <translation>Runs and charts</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Leaderboard</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Items</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationRunModel</name>
    <message>
        <source>queued</source>
        <translation>queued</translation>
    </message>
    <message>
        <source>running</source>
        <translation>running</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>finished</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Items</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Started</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ExportDialog</name>
    <message>
        <source>Export data</source>
        <translation>Export data</translation>
    </message>
    <message>
        <source>Every dataset</source>
        <translation>Every dataset</translation>
    </message>
    <message>
        <source>Dataset %1</source>
        <translation>Dataset %1</translation>
    </message>
    <message>
        <source>Records matching the current filter (%1)</source>
        <translation>Records matching the current filter (%1)</translation>
    </message>
    <message>
        <source>JSON Lines (one record per line)</source>
        <translation>JSON Lines (one record per line)</translation>
    </message>
    <message>
        <source>One JSON array</source>
        <translation>One JSON array</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>&amp;Records:</source>
        <translation>&amp;Records:</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat:</translation>
    </message>
    <message>
        <source>&amp;Layout:</source>
        <translation>&amp;Layout:</translation>
    </message>
    <message>
        <source>&amp;Destination:</source>
        <translation>&amp;Destination:</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>Data files (*.jsonl *.json);;All files (*)</source>
        <translation>Data files (*.jsonl *.json);;All files (*)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>No record matches the current filter; nothing was written.</source>
        <translation>No record matches the current filter; nothing was written.</translation>
    </message>
    <message>
        <source>Cancelled; no file was written.</source>
        <translation>Cancelled; no file was written.</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export failed: %1</translation>
    </message>
    <message>
        <source>Exported %1 records as %2 %3 records to %4.</source>
        <translation>Exported %1 records as %2 %3 records to %4.</translation>
    </message>
    <message>
        <source>%1 records cannot be written as %2 and were left out:</source>
        <translation>%1 records cannot be written as %2 and were left out:</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ImportDialog</name>
    <message>
        <source>Import data</source>
        <translation>Import data</translation>
    </message>
    <message>
        <source>one or more files, separated by ;</source>
        <translation>one or more files, separated by ;</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>Detect from the first record</source>
        <translation>Detect from the first record</translation>
    </message>
    <message>
        <source>&amp;New dataset:</source>
        <translation>&amp;New dataset:</translation>
    </message>
    <message>
        <source>&amp;Add to dataset:</source>
        <translation>&amp;Add to dataset:</translation>
    </message>
    <message>
        <source>&amp;Skip bad lines (they are counted) instead of stopping</source>
        <translation>&amp;Skip bad lines (they are counted) instead of stopping</translation>
    </message>
    <message>
        <source>&amp;Files:</source>
        <translation>&amp;Files:</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat:</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <source>Preview of the first records:</source>
        <translation>Preview of the first records:</translation>
    </message>
    <message>
        <source>Data files (*.jsonl *.json *.jsonl.gz *.json.gz);;All files (*)</source>
        <translation>Data files (*.jsonl *.json *.jsonl.gz *.json.gz);;All files (*)</translation>
    </message>
    <message>
        <source>Detected format: %1.</source>
        <translation>Detected format: %1.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>%1 of %2 file(s) were imported (%3 records) and stay in the project.</source>
        <translation>%1 of %2 file(s) were imported (%3 records) and stay in the project.</translation>
    </message>
    <message>
        <source>Cancelled: nothing from %1 was imported.</source>
        <translation>Cancelled: nothing from %1 was imported.</translation>
    </message>
    <message>
        <source>Import stopped: %1</source>
        <translation>Import stopped: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %1 records from %n file(s) into dataset %2.</source>
        <translation>
            <numerusform>Imported %1 records from %n file into dataset %2.</numerusform>
            <numerusform>Imported %1 records from %n files into dataset %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bad line(s) skipped.</source>
        <translation>
            <numerusform>%n bad line skipped.</numerusform>
            <numerusform>%n bad lines skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::JsonLineProcess</name>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>Cannot start %1: %2</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::LeaderboardModel</name>
    <message>
        <source>model</source>
        <translation>model</translation>
    </message>
    <message>
        <source>human</source>
        <translation>human</translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation>Annotator</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Rankings</source>
        <translation>Rankings</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Agreement (τ)</source>
        <translation>Agreement (τ)</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>Trust</translation>
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
    <name>vietllm::widgets::RankingPanel</name>
    <message>
        <source>New annotator</source>
        <translation>New annotator</translation>
    </message>
    <message>
        <source>Annotator name:</source>
        <translation>Annotator name:</translation>
    </message>
    <message>
        <source>All datasets</source>
        <translation>All datasets</translation>
    </message>
    <message numerus="yes">
        <source>%n ranking task(s) created.</source>
        <translation>
            <numerusform>%n ranking task created.</numerusform>
            <numerusform>%n ranking tasks created.</numerusform>
        </translation>
    </message>
    <message>
        <source>Create an annotator profile (New annotator…) to start ranking.</source>
        <translation>Create an annotator profile (New annotator…) to start ranking.</translation>
    </message>
    <message>
        <source>&lt;p&gt;No task waiting. Create tasks from a dataset, or grow a conversation tree and generate candidates.&lt;/p&gt;</source>
        <translation>&lt;p&gt;No task waiting. Create tasks from a dataset, or grow a conversation tree and generate candidates.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Draft restored.</source>
        <translation>Draft restored.</translation>
    </message>
    <message>
        <source>Reply %1 (key %2)</source>
        <translation>Reply %1 (key %2)</translation>
    </message>
    <message>
        <source>place %1</source>
        <translation>place %1</translation>
    </message>
    <message>
        <source>%1 / %2 tasks ranked, %3 skipped, %4 drafts</source>
        <translation>%1 / %2 tasks ranked, %3 skipped, %4 drafts</translation>
    </message>
    <message>
        <source>Give every reply a place (keys 1–%1), or mark them all bad (B).</source>
        <translation>Give every reply a place (keys 1–%1), or mark them all bad (B).</translation>
    </message>
    <message>
        <source>Ranking saved.</source>
        <translation>Ranking saved.</translation>
    </message>
    <message>
        <source>Task skipped.</source>
        <translation>Task skipped.</translation>
    </message>
    <message>
        <source>Draft saved.</source>
        <translation>Draft saved.</translation>
    </message>
    <message>
        <source>Add reply</source>
        <translation>Add reply</translation>
    </message>
    <message>
        <source>Add follow-up prompt</source>
        <translation>Add follow-up prompt</translation>
    </message>
    <message>
        <source>Assistant reply:</source>
        <translation>Assistant reply:</translation>
    </message>
    <message>
        <source>Follow-up prompt (user):</source>
        <translation>Follow-up prompt (user):</translation>
    </message>
    <message>
        <source>Generate candidates</source>
        <translation>Generate candidates</translation>
    </message>
    <message>
        <source>Local model folder</source>
        <translation>Local model folder</translation>
    </message>
    <message>
        <source>OpenAI-compatible endpoint</source>
        <translation>OpenAI-compatible endpoint</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Source:</translation>
    </message>
    <message>
        <source>Model folder:</source>
        <translation>Model folder:</translation>
    </message>
    <message>
        <source>Endpoint URL:</source>
        <translation>Endpoint URL:</translation>
    </message>
    <message>
        <source>Model name:</source>
        <translation>Model name:</translation>
    </message>
    <message>
        <source>API key variable:</source>
        <translation>API key variable:</translation>
    </message>
    <message>
        <source>Replies:</source>
        <translation>Replies:</translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation>Max new tokens:</translation>
    </message>
    <message>
        <source>Temperature of the first reply:</source>
        <translation>Temperature of the first reply:</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Model folder</translation>
    </message>
    <message>
        <source>Select a user message in the tree to generate replies for.</source>
        <translation>Select a user message in the tree to generate replies for.</translation>
    </message>
    <message numerus="yes">
        <source>Generating %n candidate(s)…</source>
        <translation>
            <numerusform>Generating %n candidate…</numerusform>
            <numerusform>Generating %n candidates…</numerusform>
        </translation>
    </message>
    <message>
        <source>Generation cancelled; nothing was added.</source>
        <translation>Generation cancelled; nothing was added.</translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) added with a ranking task.</source>
        <translation>
            <numerusform>%n candidate added with a ranking task.</numerusform>
            <numerusform>%n candidates added with a ranking task.</numerusform>
        </translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>Conversation trees</source>
        <translation>Conversation trees</translation>
    </message>
    <message>
        <source>&amp;Annotator:</source>
        <translation>&amp;Annotator:</translation>
    </message>
    <message>
        <source>New annotator…</source>
        <translation>New annotator…</translation>
    </message>
    <message>
        <source>Data&amp;set:</source>
        <translation>Data&amp;set:</translation>
    </message>
    <message>
        <source>Rankings per task:</source>
        <translation>Rankings per task:</translation>
    </message>
    <message>
        <source>Create tasks</source>
        <translation>Create tasks</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Your order (drag to reorder)</source>
        <translation>Your order (drag to reorder)</translation>
    </message>
    <message>
        <source>All bad (B)</source>
        <translation>All bad (B)</translation>
    </message>
    <message>
        <source>Why are they all bad?</source>
        <translation>Why are they all bad?</translation>
    </message>
    <message>
        <source>Submit (Enter)</source>
        <translation>Submit (Enter)</translation>
    </message>
    <message>
        <source>Skip (S)</source>
        <translation>Skip (S)</translation>
    </message>
    <message>
        <source>Save draft (D)</source>
        <translation>Save draft (D)</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>give the reply the next place, best first</source>
        <translation>give the reply the next place, best first</translation>
    </message>
    <message>
        <source>the next pick ties with the previous one</source>
        <translation>the next pick ties with the previous one</translation>
    </message>
    <message>
        <source>take the last pick back</source>
        <translation>take the last pick back</translation>
    </message>
    <message>
        <source>all bad (then type the reason)</source>
        <translation>all bad (then type the reason)</translation>
    </message>
    <message>
        <source>leave the reason box</source>
        <translation>leave the reason box</translation>
    </message>
    <message>
        <source>submit and show the next task</source>
        <translation>submit and show the next task</translation>
    </message>
    <message>
        <source>skip this task</source>
        <translation>skip this task</translation>
    </message>
    <message>
        <source>save a draft</source>
        <translation>save a draft</translation>
    </message>
    <message>
        <source>show or hide this table</source>
        <translation>show or hide this table</translation>
    </message>
    <message>
        <source>&amp;Record:</source>
        <translation>&amp;Record:</translation>
    </message>
    <message>
        <source>The record of the current task, or the one chosen above. Select a message to review it, answer it or continue the conversation.</source>
        <translation>The record of the current task, or the one chosen above. Select a message to review it, answer it or continue the conversation.</translation>
    </message>
    <message>
        <source>Add reply / follow-up…</source>
        <translation>Add reply / follow-up…</translation>
    </message>
    <message>
        <source>Generate candidates…</source>
        <translation>Generate candidates…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Consensus</source>
        <translation>Consensus</translation>
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
    <name>vietllm::widgets::RecordPreviewModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
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
        <source>Messages</source>
        <translation>Messages</translation>
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
    <name>vietllm::widgets::RunHistoryModel</name>
    <message>
        <source>running</source>
        <translation>running</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>interrupted</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>finished</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Best eval loss</source>
        <translation>Best eval loss</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Base model</translation>
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
    <name>vietllm::widgets::StoreJob</name>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>%1 records…</source>
        <translation>%1 records…</translation>
    </message>
    <message>
        <source>%1 of %2 records…</source>
        <translation>%1 of %2 records…</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TrainingCharts</name>
    <message>
        <source>&amp;Smoothing: %1</source>
        <translation>&amp;Smoothing: %1</translation>
    </message>
    <message>
        <source>%1 (raw)</source>
        <translation>%1 (raw)</translation>
    </message>
    <message>
        <source>%1 eval</source>
        <translation>%1 eval</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Learning rate</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>Gradient norm</translation>
    </message>
    <message>
        <source>Tokens per second</source>
        <translation>Tokens per second</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Method metrics (accuracy, margin, rewards)</source>
        <translation>Method metrics (accuracy, margin, rewards)</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TrainingJob</name>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 failed: %2</translation>
    </message>
    <message>
        <source>The trainer was stopped before it could save a checkpoint.</source>
        <translation>The trainer was stopped before it could save a checkpoint.</translation>
    </message>
    <message>
        <source>The trainer exited with code %1.</source>
        <translation>The trainer exited with code %1.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TrainingPanel</name>
    <message>
        <source>Export finished.</source>
        <translation>Export finished.</translation>
    </message>
    <message>
        <source>Held out for eval loss:</source>
        <translation>Held out for eval loss:</translation>
    </message>
    <message>
        <source>LoRA rank:</source>
        <translation>LoRA rank:</translation>
    </message>
    <message>
        <source>LoRA alpha:</source>
        <translation>LoRA alpha:</translation>
    </message>
    <message>
        <source>LoRA dropout:</source>
        <translation>LoRA dropout:</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Learning rate:</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>Epochs:</translation>
    </message>
    <message>
        <source>Max steps (0 = epochs):</source>
        <translation>Max steps (0 = epochs):</translation>
    </message>
    <message>
        <source>Micro-batch size:</source>
        <translation>Micro-batch size:</translation>
    </message>
    <message>
        <source>Gradient accumulation:</source>
        <translation>Gradient accumulation:</translation>
    </message>
    <message>
        <source>Max sequence length:</source>
        <translation>Max sequence length:</translation>
    </message>
    <message>
        <source>Pack sequences:</source>
        <translation>Pack sequences:</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>Schedule:</translation>
    </message>
    <message>
        <source>Warm-up fraction:</source>
        <translation>Warm-up fraction:</translation>
    </message>
    <message>
        <source>Eval every (steps):</source>
        <translation>Eval every (steps):</translation>
    </message>
    <message>
        <source>Checkpoint every (steps):</source>
        <translation>Checkpoint every (steps):</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Device:</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Precision:</translation>
    </message>
    <message>
        <source>%1, %2 million parameters, %3 layers</source>
        <translation>%1, %2 million parameters, %3 layers</translation>
    </message>
    <message>
        <source>Choose a model to see how much memory the run needs.</source>
        <translation>Choose a model to see how much memory the run needs.</translation>
    </message>
    <message>
        <source>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); this machine has %5.</source>
        <translation>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); this machine has %5.</translation>
    </message>
    <message>
        <source>It will not fit: use LoRA, a smaller micro-batch or sequence length, or a bigger machine.</source>
        <translation>It will not fit: use LoRA, a smaller micro-batch or sequence length, or a bigger machine.</translation>
    </message>
    <message>
        <source>Open a project first: runs are kept beside it.</source>
        <translation>Open a project first: runs are kept beside it.</translation>
    </message>
    <message>
        <source>Choose a model folder with a config.json.</source>
        <translation>Choose a model folder with a config.json.</translation>
    </message>
    <message>
        <source>Tick at least one dataset or add a JSONL file.</source>
        <translation>Tick at least one dataset or add a JSONL file.</translation>
    </message>
    <message>
        <source>Cannot create the run folder %1.</source>
        <translation>Cannot create the run folder %1.</translation>
    </message>
    <message>
        <source>Exporting dataset %1…</source>
        <translation>Exporting dataset %1…</translation>
    </message>
    <message>
        <source>Training %1…</source>
        <translation>Training %1…</translation>
    </message>
    <message>
        <source>Stopping: the trainer saves a checkpoint first…</source>
        <translation>Stopping: the trainer saves a checkpoint first…</translation>
    </message>
    <message>
        <source>This run has no checkpoint to continue from.</source>
        <translation>This run has no checkpoint to continue from.</translation>
    </message>
    <message>
        <source>Resuming %1…</source>
        <translation>Resuming %1…</translation>
    </message>
    <message>
        <source>Stopped; the run can be resumed from its last checkpoint.</source>
        <translation>Stopped; the run can be resumed from its last checkpoint.</translation>
    </message>
    <message>
        <source>Training finished.</source>
        <translation>Training finished.</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Training failed: %1</translation>
    </message>
    <message>
        <source>Export the model to</source>
        <translation>Export the model to</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Exporting to %1…</translation>
    </message>
    <message>
        <source>Choose a model folder (config.json, *.safetensors)</source>
        <translation>Choose a model folder (config.json, *.safetensors)</translation>
    </message>
    <message>
        <source>Add training data</source>
        <translation>Add training data</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl *.jsonl.gz);;All files (*)</source>
        <translation>JSON Lines (*.jsonl *.jsonl.gz);;All files (*)</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Base model</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>Training data</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Hyperparameters</source>
        <translation>Hyperparameters</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Folder:</translation>
    </message>
    <message>
        <source>A Hugging Face model folder or a checkpoint</source>
        <translation>A Hugging Face model folder or a checkpoint</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>&amp;Preset:</source>
        <translation>&amp;Preset:</translation>
    </message>
    <message>
        <source>Add JSONL file…</source>
        <translation>Add JSONL file…</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Method:</translation>
    </message>
    <message>
        <source>Supervised fine-tuning (SFT)</source>
        <translation>Supervised fine-tuning (SFT)</translation>
    </message>
    <message>
        <source>&amp;LoRA (train small adapters; the base model stays frozen)</source>
        <translation>&amp;LoRA (train small adapters; the base model stays frozen)</translation>
    </message>
    <message>
        <source>fewer padding tokens</source>
        <translation>fewer padding tokens</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>cosine</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>linear</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>constant</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;top</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Resume</translation>
    </message>
    <message>
        <source>Chat with it</source>
        <translation>Chat with it</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Run history</source>
        <translation>Run history</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>This checkpoint is already a complete model folder: %1</source>
        <translation>This checkpoint is already a complete model folder: %1</translation>
    </message>
    <message>
        <source>DPO beta:</source>
        <translation>DPO beta:</translation>
    </message>
    <message>
        <source>Reward model:</source>
        <translation>Reward model:</translation>
    </message>
    <message>
        <source>Samples per prompt:</source>
        <translation>Samples per prompt:</translation>
    </message>
    <message>
        <source>KL coefficient:</source>
        <translation>KL coefficient:</translation>
    </message>
    <message>
        <source>Choose a reward model folder (the output of a reward-model run)</source>
        <translation>Choose a reward model folder (the output of a reward-model run)</translation>
    </message>
    <message>
        <source>Choose the reward model that scores the samples.</source>
        <translation>Choose the reward model that scores the samples.</translation>
    </message>
    <message>
        <source>Datasets of the project (conversations for SFT and RL, preference pairs for the reward model and DPO) and JSONL files:</source>
        <translation>Datasets of the project (conversations for SFT and RL, preference pairs for the reward model and DPO) and JSONL files:</translation>
    </message>
    <message>
        <source>Reward model</source>
        <translation>Reward model</translation>
    </message>
    <message>
        <source>DPO (direct preference optimization)</source>
        <translation>DPO (direct preference optimization)</translation>
    </message>
    <message>
        <source>RL with a reward model</source>
        <translation>RL with a reward model</translation>
    </message>
    <message>
        <source>A reward model folder</source>
        <translation>A reward model folder</translation>
    </message>
    <message>
        <source>Evaluate it</source>
        <translation>Evaluate it</translation>
    </message>
    <message>
        <source>Gradient checkpointing:</source>
        <translation>Gradient checkpointing:</translation>
    </message>
    <message>
        <source>Processes:</source>
        <translation>Processes:</translation>
    </message>
    <message>
        <source>recompute activations in backward: less memory, about a third slower</source>
        <translation>recompute activations in backward: less memory, about a third slower</translation>
    </message>
    <message>
        <source>Data-parallel processes: each one holds the whole model and trains on its share of every step, so a step learns from micro-batch × accumulation × processes examples. One per GPU; on a CPU they share its cores.</source>
        <translation>Data-parallel processes: each one holds the whole model and trains on its share of every step, so a step learns from micro-batch × accumulation × processes examples. One per GPU; on a CPU they share its cores.</translation>
    </message>
    <message>
        <source>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); the memory of %5 is unknown.</source>
        <translation>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); the memory of %5 is unknown.</translation>
    </message>
    <message>
        <source>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); %5 has %6.</source>
        <translation>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); %5 has %6.</translation>
    </message>
    <message>
        <source>Needs about %1 processes × %2 = %3 (each: weights %4, gradients and optimizer %5, activations %6); this machine has %7.</source>
        <translation>Needs about %1 processes × %2 = %3 (each: weights %4, gradients and optimizer %5, activations %6); this machine has %7.</translation>
    </message>
    <message>
        <source>It will not fit: use LoRA, a smaller micro-batch or sequence length, fewer processes, or a bigger machine.</source>
        <translation>It will not fit: use LoRA, a smaller micro-batch or sequence length, fewer processes, or a bigger machine.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TrainingSourceModel</name>
    <message>
        <source>File: %1</source>
        <translation>File: %1</translation>
    </message>
    <message>
        <source>%1 (%2 records)</source>
        <translation>%1 (%2 records)</translation>
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
