<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>Panels</name>
    <message>
        <source>Start</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <source>Create a project, open one, or pick up a recent one.</source>
        <translation>Tạo dự án mới, mở một dự án có sẵn hoặc tiếp tục một dự án gần đây.</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dữ liệu</translation>
    </message>
    <message>
        <source>Browse, clean and annotate the project&apos;s datasets.</source>
        <translation>Duyệt, làm sạch và gán nhãn các bộ dữ liệu của dự án.</translation>
    </message>
    <message>
        <source>Ranking</source>
        <translation>Xếp hạng</translation>
    </message>
    <message>
        <source>Compare model answers side by side and rank them from the keyboard; the judgements become preference data.</source>
        <translation>So sánh song song các câu trả lời của mô hình và xếp hạng chúng bằng bàn phím; các đánh giá trở thành dữ liệu ưu tiên.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Huấn luyện</translation>
    </message>
    <message>
        <source>Launch fine-tuning, reward-model and DPO runs on this computer and follow their loss curves live.</source>
        <translation>Chạy tinh chỉnh, huấn luyện mô hình phần thưởng và DPO ngay trên máy này, theo dõi trực tiếp đường cong hàm mất mát.</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Trò chuyện</translation>
    </message>
    <message>
        <source>Chat with local models, compare two of them side by side and keep the better answer as a preference.</source>
        <translation>Trò chuyện với các mô hình cục bộ, so sánh song song hai mô hình và giữ câu trả lời tốt hơn làm dữ liệu ưu tiên.</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Đánh giá</translation>
    </message>
    <message>
        <source>Score models on Vietnamese benchmarks, measure agreement between annotators and compare runs.</source>
        <translation>Chấm điểm mô hình trên các bộ đánh giá tiếng Việt, đo mức đồng thuận giữa những người gán nhãn và so sánh các lần chạy.</translation>
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation>Đồn&amp;g ý</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Hủy</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đón&amp;g</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>Đóng mà không lưu</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cắ&amp;t</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Sao chép</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Hiện chi tiết...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Ẩn chi tiết...</translation>
    </message>
    <message>
        <source>About Qt</source>
        <translation>Giới thiệu Qt</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Lưu tất cả</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Có với &amp;tất cả</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>K&amp;hông với tất cả</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Hủy bỏ</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ đi</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Khôi phục mặc định</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::AboutDialog</name>
    <message>
        <source>About vietllm</source>
        <translation>Giới thiệu vietllm</translation>
    </message>
    <message>
        <source>A desktop workbench for the Vietnamese LLM community: dataset browsing and annotation, ranking, training, chat and evaluation, offline and in one program.</source>
        <translation>Bàn làm việc trên máy tính dành cho cộng đồng mô hình ngôn ngữ lớn tiếng Việt: duyệt và gán nhãn dữ liệu, xếp hạng, huấn luyện, trò chuyện và đánh giá, chạy ngoại tuyến trong một chương trình duy nhất.</translation>
    </message>
    <message>
        <source>Built with Qt %1; running on Qt %2.</source>
        <translation>Biên dịch với Qt %1; đang chạy trên Qt %2.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::AnnotationPanel</name>
    <message>
        <source>Enter an annotator name first.</source>
        <translation>Hãy nhập tên người gán nhãn trước.</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Nhãn</translation>
    </message>
    <message>
        <source>&amp;Annotator:</source>
        <translation>&amp;Tên người gán nhãn:</translation>
    </message>
    <message>
        <source>&amp;Quality (1-5):</source>
        <translation>&amp;Chất lượng (1-5):</translation>
    </message>
    <message>
        <source>&amp;Helpfulness (1-5):</source>
        <translation>&amp;Hữu ích (1-5):</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Rác (spam)</translation>
    </message>
    <message>
        <source>Not Vietnamese</source>
        <translation>Không phải tiếng Việt</translation>
    </message>
    <message>
        <source>Personal data (PII)</source>
        <translation>Dữ liệu cá nhân (PII)</translation>
    </message>
    <message>
        <source>Toxic</source>
        <translation>Độc hại</translation>
    </message>
    <message>
        <source>Bad translation</source>
        <translation>Dịch kém</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>Nhận &amp;xét:</translation>
    </message>
    <message>
        <source>quality; 0 clears</source>
        <translation>chất lượng; 0 để xóa</translation>
    </message>
    <message>
        <source>helpfulness; Alt+0 clears</source>
        <translation>mức hữu ích; Alt+0 để xóa</translation>
    </message>
    <message>
        <source>spam, not Vietnamese, PII, toxic, bad translation</source>
        <translation>rác, không phải tiếng Việt, PII, độc hại, dịch kém</translation>
    </message>
    <message>
        <source>write a note / back to the table</source>
        <translation>viết nhận xét / quay lại bảng</translation>
    </message>
    <message>
        <source>previous / next record</source>
        <translation>bản ghi trước / sau</translation>
    </message>
    <message>
        <source>search</source>
        <translation>tìm kiếm</translation>
    </message>
    <message>
        <source>add, delete, move a turn</source>
        <translation>thêm, xóa, di chuyển một lượt</translation>
    </message>
    <message>
        <source>undo, redo, save the record</source>
        <translation>hoàn tác, làm lại, lưu bản ghi</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Phím</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::DataPanel</name>
    <message>
        <source>Datasets</source>
        <translation>Bộ dữ liệu</translation>
    </message>
    <message numerus="yes">
        <source>%n dataset(s), %1 records in all</source>
        <translation>
            <numerusform>%n bộ dữ liệu, tổng cộng %1 bản ghi</numerusform>
        </translation>
    </message>
    <message>
        <source>No project is open. Create a project (Ctrl+N) or open one (Ctrl+O) to see its datasets.</source>
        <translation>Chưa mở dự án nào. Hãy tạo dự án mới (Ctrl+N) hoặc mở một dự án (Ctrl+O) để xem các bộ dữ liệu của nó.</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Mở &amp;dự án…</translation>
    </message>
    <message>
        <source>This project has no datasets yet. Import instruction or preference data from the command line, for example:

vietllm-cli project import PROJECT.vietllm --format alpaca FILE.json

Run vietllm-cli project --help for every format and option.</source>
        <translation>Dự án này chưa có bộ dữ liệu nào. Hãy nhập dữ liệu chỉ dẫn hoặc dữ liệu ưu tiên từ dòng lệnh, ví dụ:

vietllm-cli project import PROJECT.vietllm --format alpaca FILE.json

Chạy vietllm-cli project --help để xem mọi định dạng và tùy chọn.</translation>
    </message>
    <message numerus="yes">
        <source>%1 record(s)</source>
        <translation>
            <numerusform>%1 bản ghi</numerusform>
        </translation>
    </message>
    <message>
        <source>%1+ records, still counting</source>
        <translation>%1+ bản ghi, đang đếm tiếp</translation>
    </message>
    <message>
        <source>Search messages (Ctrl+F): words, &quot;a phrase&quot;, prefix*</source>
        <translation>Tìm trong tin nhắn (Ctrl+F): từ, &quot;cụm từ&quot;, tiền tố*</translation>
    </message>
    <message>
        <source>Ignore &amp;diacritics</source>
        <translation>Bỏ qua &amp;dấu</translation>
    </message>
    <message>
        <source>Find &quot;hòa bình&quot; by typing &quot;hoa binh&quot; (đ matches d)</source>
        <translation>Gõ &quot;hoa binh&quot; để tìm &quot;hòa bình&quot; (d khớp cả đ)</translation>
    </message>
    <message>
        <source>Data&amp;set:</source>
        <translation>&amp;Bộ dữ liệu:</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>So&amp;urce:</source>
        <translation>Ng&amp;uồn:</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>Ngôn n&amp;gữ:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Loại:</translation>
    </message>
    <message>
        <source>La&amp;bel:</source>
        <translation>&amp;Nhãn:</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Bất kỳ</translation>
    </message>
    <message>
        <source>&amp;Length:</source>
        <translation>Độ dà&amp;i:</translation>
    </message>
    <message>
        <source>min</source>
        <translation>tối thiểu</translation>
    </message>
    <message>
        <source>max</source>
        <translation>tối đa</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::DatasetTableModel</name>
    <message>
        <source>Dataset</source>
        <translation>Bộ dữ liệu</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Tin nhắn</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Ngày tạo</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Mô tả</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::MainWindow</name>
    <message>
        <source>vietllm projects (*.vietllm);;All files (*)</source>
        <translation>Dự án vietllm (*.vietllm);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Internal error: %1</source>
        <translation>Lỗi nội bộ: %1</translation>
    </message>
    <message>
        <source>Cannot create the project</source>
        <translation>Không tạo được dự án</translation>
    </message>
    <message>
        <source>The project %1 could not be created.

%2</source>
        <translation>Không thể tạo dự án %1.

%2</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>Không mở được %1</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>Không mở được dự án</translation>
    </message>
    <message>
        <source>%1 could not be opened as a vietllm project.

%2</source>
        <translation>Không thể mở %1 như một dự án vietllm.

%2</translation>
    </message>
    <message>
        <source>Project: %1</source>
        <translation>Dự án: %1</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>Chưa mở dự án nào</translation>
    </message>
    <message>
        <source>%1 — vietllm</source>
        <translation>%1 — vietllm</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>Tạo dự án mới</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Mở dự án</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>Tạo dự án &amp;mới…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Mở &amp;dự án…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Mở &amp;gần đây</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>&amp;Xóa danh sách</translation>
    </message>
    <message>
        <source>&amp;Close Project</source>
        <translation>Đóng dự á&amp;n</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Cài đặt</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Tùy chọn…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;About vietllm</source>
        <translation>&amp;Giới thiệu vietllm</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Giới thiệu &amp;Qt</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::PlaceholderPanel</name>
    <message>
        <source>Not built yet: this panel will come in a later version.</source>
        <translation>Chưa xây dựng: mục này sẽ có trong một phiên bản sau.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RecordEditor</name>
    <message>
        <source>level %1</source>
        <translation>tầng %1</translation>
    </message>
    <message>
        <source>rank %1</source>
        <translation>hạng %1</translation>
    </message>
    <message>
        <source>chosen</source>
        <translation>được chọn</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>bị loại</translation>
    </message>
    <message>
        <source>Saved; the text was normalized.</source>
        <translation>Đã lưu; văn bản đã được chuẩn hóa.</translation>
    </message>
    <message>
        <source>Record %1 · %2</source>
        <translation>Bản ghi %1 · %2</translation>
    </message>
    <message>
        <source>Select a record to see its turns.</source>
        <translation>Chọn một bản ghi để xem các lượt của nó.</translation>
    </message>
    <message>
        <source>The project is open read-only.</source>
        <translation>Dự án đang mở ở chế độ chỉ đọc.</translation>
    </message>
    <message>
        <source>Preference pairs and conversation trees are shown read-only; conversations can be edited.</source>
        <translation>Cặp ưu tiên và cây hội thoại chỉ được xem; hội thoại thì sửa được.</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Vai trò:</translation>
    </message>
    <message>
        <source>Add turn</source>
        <translation>Thêm lượt</translation>
    </message>
    <message>
        <source>Delete turn</source>
        <translation>Xóa lượt</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Lên trên</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Xuống dưới</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RecordTableModel</name>
    <message>
        <source>conversation</source>
        <translation>hội thoại</translation>
    </message>
    <message>
        <source>preference pair</source>
        <translation>cặp ưu tiên</translation>
    </message>
    <message>
        <source>conversation tree</source>
        <translation>cây hội thoại</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Bộ dữ liệu</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>First user message</source>
        <translation>Tin nhắn đầu tiên của người dùng</translation>
    </message>
    <message>
        <source>Turns</source>
        <translation>Số lượt</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Độ dài</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Nhãn</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Tùy chọn</translation>
    </message>
    <message>
        <source>Interface &amp;language:</source>
        <translation>&amp;Ngôn ngữ giao diện:</translation>
    </message>
    <message>
        <source>The new language applies at once; no restart is needed.</source>
        <translation>Ngôn ngữ mới được áp dụng ngay, không cần khởi động lại.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::StartPage</name>
    <message>
        <source>A workbench for Vietnamese language models: prepare data, rank answers, train, chat and evaluate, all on this computer.</source>
        <translation>Bàn làm việc cho mô hình ngôn ngữ tiếng Việt: chuẩn bị dữ liệu, xếp hạng câu trả lời, huấn luyện, trò chuyện và đánh giá, tất cả ngay trên máy này.</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>Tạo dự án &amp;mới…</translation>
    </message>
    <message>
        <source>Create an empty project file (Ctrl+N)</source>
        <translation>Tạo một tệp dự án trống (Ctrl+N)</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Mở &amp;dự án…</translation>
    </message>
    <message>
        <source>Open an existing project file (Ctrl+O)</source>
        <translation>Mở một tệp dự án có sẵn (Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Recent projects</source>
        <translation>Dự án gầ&amp;n đây</translation>
    </message>
    <message>
        <source>No recent projects yet. Projects you open will be listed here.</source>
        <translation>Chưa có dự án gần đây. Các dự án bạn mở sẽ được liệt kê ở đây.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TurnListModel</name>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>system</source>
        <translation>hệ thống</translation>
    </message>
    <message>
        <source>user</source>
        <translation>người dùng</translation>
    </message>
    <message>
        <source>assistant</source>
        <translation>trợ lý</translation>
    </message>
</context>
</TS>
